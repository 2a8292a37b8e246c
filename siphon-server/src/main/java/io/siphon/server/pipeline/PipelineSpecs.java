package io.siphon.server.pipeline;

import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.server.connection.ConnectionService;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
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
 * engine's strict parser, so both forms accept exactly the same keys. A graph spec ({@code nodes:}
 * and {@code edges:}) is taken the same way: each source and sink node names a stored connection.
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
        List<String> problems = new ArrayList<>();
        if (!(spec.get("name") instanceof String)) {
            problems.add("name: missing; every pipeline needs a name");
        }
        List<Endpoint> endpoints = endpoints(spec, problems);
        for (Endpoint e : endpoints) {
            connectionOf(e, problems);
        }
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
                definition((String) spec.get("name"), spec, endpoints, restart);
        resolve(definition);
        return definition;
    }

    /** A stored definition from its JSON. */
    PipelineDefinition fromJson(String specJson) {
        Map<String, Object> spec = json.readValue(specJson, MAP);
        Object restart = spec.get("restart");
        return definition(
                (String) spec.get("name"),
                spec,
                endpoints(spec, new ArrayList<>()),
                restart instanceof Map<?, ?> m
                        ? RestartPolicy.of(stringKeys(m))
                        : RestartPolicy.NEVER);
    }

    private static PipelineDefinition definition(
            String name,
            Map<String, Object> spec,
            List<Endpoint> endpoints,
            RestartPolicy restart) {
        return new PipelineDefinition(
                name,
                spec,
                firstConnection(endpoints, "source"),
                firstConnection(endpoints, "sink"),
                restart);
    }

    private static String firstConnection(List<Endpoint> endpoints, String side) {
        return endpoints.stream()
                .filter(e -> e.side().equals(side))
                .map(e -> e.block().get(CONNECTION))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .findFirst()
                .orElse(null);
    }

    String toJson(PipelineDefinition definition) {
        return json.writeValueAsString(definition.spec());
    }

    /**
     * The engine's graph: the connections' options (secrets included) merged under each source and
     * sink's own keys, then parsed strictly. A linear spec is a graph of one flow.
     *
     * @throws SiphonException listing every problem of the spec
     */
    PipelineGraph resolve(PipelineDefinition definition) {
        Map<String, Object> merged = new LinkedHashMap<>(definition.spec());
        merged.remove("restart");
        if (isGraph(merged)) {
            List<Object> nodes = new ArrayList<>();
            for (Object node : (List<?>) merged.get("nodes")) {
                Map<String, Object> copy = node instanceof Map<?, ?> m ? stringKeys(m) : null;
                Endpoint e = copy == null ? null : nodeEndpoint(copy);
                if (e != null) {
                    copy.put(e.side(), endpoint(e));
                }
                nodes.add(copy == null ? node : copy);
            }
            merged.put("nodes", nodes);
        } else {
            for (Endpoint e : endpoints(merged, new ArrayList<>())) {
                merged.put(e.side(), endpoint(e));
            }
        }
        return parser.parseGraphUntrusted(
                json.writerWithDefaultPrettyPrinter().writeValueAsString(merged),
                "pipeline " + definition.name());
    }

    /**
     * A source or sink block that names a connection.
     *
     * @param where how messages name it: {@code source}, or {@code nodes.<id>.source} in a graph
     * @param side {@code source} or {@code sink}
     * @param block its keys as written
     */
    private record Endpoint(String where, String side, Map<String, Object> block) {}

    private static boolean isGraph(Map<String, Object> spec) {
        return spec.containsKey("nodes") || spec.containsKey("edges");
    }

    /**
     * The source and sink blocks of a spec, in the order written; what is not a block is reported
     * for the linear form and left to the engine's parser in a graph (which names the node).
     */
    private static List<Endpoint> endpoints(Map<String, Object> spec, List<String> problems) {
        List<Endpoint> out = new ArrayList<>();
        if (!isGraph(spec)) {
            for (String side : List.of("source", "sink")) {
                if (spec.get(side) instanceof Map<?, ?> block) {
                    out.add(new Endpoint(side, side, stringKeys(block)));
                } else {
                    problems.add(
                            side
                                    + ": missing; name a stored connection, for example "
                                    + side
                                    + ": { connection: my-db }");
                }
            }
            return out;
        }
        if (spec.get("nodes") instanceof List<?> nodes) {
            for (Object node : nodes) {
                Endpoint e = node instanceof Map<?, ?> m ? nodeEndpoint(stringKeys(m)) : null;
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** The source or sink block of a graph node, or null for an operator node. */
    private static Endpoint nodeEndpoint(Map<String, Object> node) {
        for (String side : List.of("source", "sink")) {
            if (node.get(side) instanceof Map<?, ?> block) {
                return new Endpoint(
                        "nodes." + node.get("id") + "." + side, side, stringKeys(block));
            }
        }
        return null;
    }

    private Map<String, Object> endpoint(Endpoint e) {
        Map<String, Object> own = new LinkedHashMap<>(e.block());
        String connectionName = (String) own.remove(CONNECTION);
        String type = connections.type(connectionName);
        for (String key : own.keySet()) {
            // Also for specs stored before this rule: they never override where a connection goes.
            if (connections.connectionOnlyKeys(type).contains(key)) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        connectionOnly(e.where(), key, connectionName));
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

    private void connectionOf(Endpoint e, List<String> problems) {
        String side = e.where();
        Map<String, Object> block = e.block();
        if (block.containsKey("type")) {
            problems.add(
                    side
                            + ".type: not allowed here; the connection's type is used (create"
                            + " connections with POST /api/v1/connections)");
        }
        if (!(block.get(CONNECTION) instanceof String name)) {
            problems.add(side + ".connection: missing; name a stored connection");
            return;
        }
        String type;
        try {
            type = connections.type(name);
        } catch (SiphonException ex) {
            problems.add(
                    side + ".connection: there is no connection named '" + name + "'" + hint(name));
            return;
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
    }

    /** What to write instead of a connection name that does not exist. */
    private String hint(String name) {
        List<String> names = connections.list().stream().map(c -> c.name()).toList();
        return NameSuggester.nearest(name, names)
                .map(n -> "; did you mean '" + n + "'?")
                .orElse(
                        "; list the connections with GET /api/v1/connections, or create it with"
                                + " POST /api/v1/connections");
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
