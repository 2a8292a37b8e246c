package io.siphon.server.pipeline;

import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.server.connection.ConnectionService;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Pipeline specs sent to the server: the YAML spec of {@code siphon run} (or the same as JSON),
 * where {@code source} and {@code sink} name a stored connection instead of carrying its URL and
 * credentials. The server merges the connection's options in and parses the result with the
 * engine's strict parser, so both forms accept exactly the same keys.
 */
@Component
class PipelineSpecs {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP =
            new TypeReference<>() {};
    private static final String CONNECTION = "connection";

    private final ConnectionService connections;
    private final JsonMapper json;
    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final PipelineSpecParser parser = PipelineSpecParser.withInstalledConnectors();

    PipelineSpecs(ConnectionService connections, JsonMapper json) {
        this.connections = connections;
        this.json = json;
    }

    /**
     * Reads a spec body (JSON is YAML too) and checks its shape; {@code pathName} is the name in
     * the URL, if any, which the body must match.
     */
    PipelineDefinition read(String body, String pathName) {
        Map<String, Object> spec;
        try {
            spec = body == null || body.isBlank() ? null : yaml.readValue(body, MAP);
        } catch (JacksonException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    "the pipeline spec is not valid YAML or JSON: " + e.getOriginalMessage());
        }
        if (spec == null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    "send the pipeline spec as the body, in JSON or YAML: name, source: {"
                            + " connection: ... }, sink: { connection: ... }");
        }
        spec = new LinkedHashMap<>(spec);
        if (pathName != null) {
            Object name = spec.putIfAbsent("name", pathName);
            if (name != null && !pathName.equals(name)) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "name: the spec is named '"
                                + name
                                + "' but the URL names '"
                                + pathName
                                + "'; a pipeline cannot be renamed");
            }
        }
        if (spec.containsKey("nodes") || spec.containsKey("edges")) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "nodes: the server takes pipelines of one source and one sink for now (source,"
                            + " transforms, sink); run a pipeline graph with siphon run");
        }
        List<String> problems = new ArrayList<>();
        if (!(spec.get("name") instanceof String)) {
            problems.add("name: missing; every pipeline needs a name");
        }
        String source = connectionOf(spec, "source", problems);
        String sink = connectionOf(spec, "sink", problems);
        RestartPolicy restart = RestartPolicy.NEVER;
        Object restartBlock = spec.get("restart");
        if (restartBlock instanceof Map<?, ?> m) {
            restart = RestartPolicy.of(stringKeys(m));
        } else if (restartBlock != null) {
            problems.add("restart: must be a block, for example { policy: on-failure }");
        }
        if (!problems.isEmpty()) {
            throw new SiphonException(ErrorCode.CONFIG_INVALID_VALUE, String.join("\n", problems));
        }
        PipelineDefinition definition =
                new PipelineDefinition((String) spec.get("name"), spec, source, sink, restart);
        resolve(definition);
        return definition;
    }

    /** A stored definition from its JSON. */
    PipelineDefinition fromJson(String specJson) {
        Map<String, Object> spec = json.readValue(specJson, MAP);
        Object restart = spec.get("restart");
        return new PipelineDefinition(
                (String) spec.get("name"),
                spec,
                (String) ((Map<?, ?>) spec.get("source")).get(CONNECTION),
                (String) ((Map<?, ?>) spec.get("sink")).get(CONNECTION),
                restart instanceof Map<?, ?> m
                        ? RestartPolicy.of(stringKeys(m))
                        : RestartPolicy.NEVER);
    }

    String toJson(PipelineDefinition definition) {
        return json.writeValueAsString(definition.spec());
    }

    /**
     * The engine's spec: the connections' options (secrets included) merged under the pipeline's
     * own source and sink keys, then parsed strictly.
     *
     * @throws SiphonException listing every problem of the spec
     */
    PipelineSpec resolve(PipelineDefinition definition) {
        Map<String, Object> merged = new LinkedHashMap<>(definition.spec());
        merged.remove("restart");
        merged.put("source", endpoint(definition.spec(), "source", definition.sourceConnection()));
        merged.put("sink", endpoint(definition.spec(), "sink", definition.sinkConnection()));
        return parser.parseUntrusted(
                json.writerWithDefaultPrettyPrinter().writeValueAsString(merged),
                "pipeline " + definition.name());
    }

    private Map<String, Object> endpoint(
            Map<String, Object> spec, String side, String connectionName) {
        Map<String, Object> own = stringKeys((Map<?, ?>) spec.get(side));
        own.remove(CONNECTION);
        String type = connections.type(connectionName);
        for (String key : own.keySet()) {
            // Also for specs stored before this rule: they never override where a connection goes.
            if (connections.connectionOnlyKeys(type).contains(key)) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE, connectionOnly(side, key, connectionName));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        // Stored values are data: a password that looks like ${env:X} is sent as it is.
        connections
                .options(connectionName)
                .forEach(
                        (key, value) ->
                                out.put(
                                        key,
                                        value instanceof String text
                                                ? PipelineSpecParser.literal(text)
                                                : value));
        out.putAll(own);
        return out;
    }

    private String connectionOf(Map<String, Object> spec, String side, List<String> problems) {
        if (!(spec.get(side) instanceof Map<?, ?> block)) {
            problems.add(
                    side
                            + ": missing; name a stored connection, for example "
                            + side
                            + ": { connection: my-db }");
            return null;
        }
        if (block.containsKey("type")) {
            problems.add(
                    side
                            + ".type: not allowed here; the connection's type is used (create"
                            + " connections with POST /api/v1/connections)");
        }
        if (!(block.get(CONNECTION) instanceof String name)) {
            problems.add(side + ".connection: missing; name a stored connection");
            return null;
        }
        String type;
        try {
            type = connections.type(name);
        } catch (SiphonException e) {
            problems.add(side + ".connection: there is no connection named '" + name + "'");
            return null;
        }
        Set<String> secret = connections.secretKeys(type);
        Set<String> connectionOnly = connections.connectionOnlyKeys(type);
        for (Object key : block.keySet()) {
            if (secret.contains(String.valueOf(key))) {
                problems.add(
                        side
                                + "."
                                + key
                                + ": secrets are not allowed in a pipeline spec; they belong to"
                                + " the connection, where they are stored encrypted");
            } else if (connectionOnly.contains(String.valueOf(key))) {
                // Where a connection goes and as whom decides where its stored password is
                // sent: only the connection itself may say that.
                problems.add(connectionOnly(side, String.valueOf(key), name));
            }
        }
        return name;
    }

    private static String connectionOnly(String side, String key, String connection) {
        return side
                + "."
                + key
                + ": a pipeline that names a connection cannot set '"
                + key
                + "'; change the connection '"
                + connection
                + "' instead (PUT /api/v1/connections/"
                + connection
                + "), or create another connection";
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
