package io.siphon.engine.spec;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads YAML (and so JSON) into {@link YamlNode}s with line numbers; rejects duplicate keys. */
final class YamlReader {

    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();

    private YamlReader() {}

    /**
     * Parses one document.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_SYNTAX} naming the origin and line
     */
    static YamlNode read(String text, String origin) {
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SiphonException(
                        ErrorCode.CONFIG_SYNTAX,
                        origin
                                + ": the pipeline spec is empty; start with 'name:', 'source:' and"
                                + " 'sink:'");
            }
            return node(p, origin);
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            String where = loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "";
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    origin + where + ": not valid YAML: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static YamlNode node(JsonParser p, String origin) {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    YamlNode value = node(p, origin);
                    if (entries.putIfAbsent(key, new YamlNode.Entry(keyLine, value)) != null) {
                        throw new SiphonException(
                                ErrorCode.CONFIG_SYNTAX,
                                origin
                                        + ":"
                                        + keyLine
                                        + ": key '"
                                        + key
                                        + "' appears twice (first on line "
                                        + entries.get(key).keyLine()
                                        + "); keep one");
                    }
                }
                yield new YamlNode.MapNode(line, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, origin));
                }
                yield new YamlNode.ListNode(line, items);
            }
            case VALUE_STRING -> new YamlNode.ScalarNode(line, p.getString());
            case VALUE_NUMBER_INT -> new YamlNode.ScalarNode(line, p.getNumberValue());
            case VALUE_NUMBER_FLOAT -> new YamlNode.ScalarNode(line, p.getDoubleValue());
            case VALUE_TRUE -> new YamlNode.ScalarNode(line, Boolean.TRUE);
            case VALUE_FALSE -> new YamlNode.ScalarNode(line, Boolean.FALSE);
            case VALUE_NULL -> new YamlNode.ScalarNode(line, null);
            default ->
                    throw new SiphonException(
                            ErrorCode.CONFIG_SYNTAX,
                            origin + ":" + line + ": unexpected " + t + " in the pipeline spec");
        };
    }
}
