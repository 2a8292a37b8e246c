package io.siphon.verify;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * JSON normalised by structure: object members sorted by name (the last of duplicate names wins, as
 * in PostgreSQL's jsonb), numbers by value ({@code 1.0} = {@code 1} = {@code 1e0}), no whitespace.
 * PostgreSQL's jsonb reorders and reformats what it stores, MySQL's JSON text does not, so only the
 * structure can be compared.
 */
final class CanonicalJson {

    /** The text is not JSON. */
    static final class Invalid extends Exception {
        Invalid(Throwable cause) {
            super(cause);
        }
    }

    private static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                    .build();

    private CanonicalJson() {}

    static String of(String text) throws Invalid {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new Invalid(e);
        }
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                sorted.put(member.getKey(), member.getValue());
            }
            out.append('{');
            String separator = "";
            for (Map.Entry<String, JsonNode> member : sorted.entrySet()) {
                out.append(separator)
                        .append(JsonNodeFactory.instance.stringNode(member.getKey()))
                        .append(':');
                write(member.getValue(), out);
                separator = ",";
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            String separator = "";
            for (JsonNode element : node) {
                out.append(separator);
                write(element, out);
                separator = ",";
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(
                    PortableValue.normalise(
                            node.decimalValue().toPlainString(), ValueKind.DECIMAL));
        } else {
            // Strings, booleans and null print in JSON's own form, with its escapes.
            out.append(node);
        }
    }
}
