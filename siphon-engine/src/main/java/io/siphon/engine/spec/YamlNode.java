package io.siphon.engine.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML or JSON value that remembers the line it started on, so that every error in a spec
 * can name its line.
 */
sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.ScalarNode {

    /** The 1-based line the value starts on. */
    int line();

    /** The plain Java value: maps, lists, strings, numbers, booleans, null. */
    Object toPlain();

    /**
     * A mapping; entries keep their order and the line of their key.
     *
     * @param line the line of the mapping
     * @param entries the entries by key
     */
    record MapNode(int line, Map<String, Entry> entries) implements YamlNode {
        @Override
        public Object toPlain() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, e) -> out.put(k, e.value().toPlain()));
            return out;
        }

        /** The line of a key, or of the mapping when the key is absent. */
        int lineOf(String key) {
            Entry e = entries.get(key);
            return e == null ? line : e.keyLine();
        }
    }

    /**
     * One entry of a mapping.
     *
     * @param keyLine the line of the key
     * @param value the value
     */
    record Entry(int keyLine, YamlNode value) {}

    /**
     * A sequence.
     *
     * @param line the line of the sequence
     * @param items the items
     */
    record ListNode(int line, List<YamlNode> items) implements YamlNode {
        @Override
        public Object toPlain() {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(i -> out.add(i.toPlain()));
            return out;
        }
    }

    /**
     * A scalar: String, Integer, Long, Double, Boolean or null.
     *
     * @param line the line
     * @param value the value
     */
    record ScalarNode(int line, Object value) implements YamlNode {
        @Override
        public Object toPlain() {
            return value;
        }
    }
}
