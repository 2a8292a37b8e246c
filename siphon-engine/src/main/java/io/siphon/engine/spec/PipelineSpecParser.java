package io.siphon.engine.spec;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.transform.TransformRegistry;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.Config;
import io.siphon.spi.ConfigProblem;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.Usage;
import io.siphon.spi.transform.TransformFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses a pipeline spec strictly: every problem is found in one pass and reported together, each
 * with its line and a fix; an unknown key names the nearest valid one. Connector keys are checked
 * against the connector's own {@link Option}s.
 */
public final class PipelineSpecParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private final ConnectorRegistry connectors;
    private final TransformRegistry operators;

    private PipelineSpecParser(ConnectorRegistry connectors, TransformRegistry operators) {
        this.connectors = connectors;
        this.operators = operators;
    }

    /** A parser that knows the connectors on the class path. */
    public static PipelineSpecParser withInstalledConnectors() {
        return new PipelineSpecParser(ConnectorRegistry.installed(), TransformRegistry.installed());
    }

    /** A parser for the given connectors. */
    public static PipelineSpecParser with(ConnectorRegistry connectors) {
        return new PipelineSpecParser(connectors, TransformRegistry.installed());
    }

    /**
     * Parses a spec file; {@code ${file:..}} references are relative to its folder.
     *
     * @throws SiphonException a {@code CONFIG_*} code; the message lists every problem as {@code
     *     file:line: problem}
     */
    public PipelineSpec parse(Path file) {
        return parseGraph(file).only("this command");
    }

    /**
     * Parses a spec file in either form, linear or {@code nodes:}/{@code edges:}; {@code
     * ${file:..}} references are relative to its folder.
     *
     * @throws SiphonException a {@code CONFIG_*} code; the message lists every problem as {@code
     *     file:line: problem}
     */
    public PipelineGraph parseGraph(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    "cannot read pipeline spec " + file + " (" + e.getClass().getSimpleName() + ")",
                    e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parseAny(text, file.toString(), References.system(dir));
    }

    /** Parses spec text of one source and one sink; {@code origin} names it in messages. */
    public PipelineSpec parse(String yamlText, String origin) {
        return parseGraph(yamlText, origin).only("this command");
    }

    /** Parses spec text in either form; {@code origin} names it in messages. */
    public PipelineGraph parseGraph(String yamlText, String origin) {
        return parseAny(yamlText, origin, References.system(Path.of("").toAbsolutePath()));
    }

    /**
     * Parses spec text that came from outside this machine (the server's API): {@code ${env:..}}
     * and {@code ${file:..}} references are refused rather than resolved.
     */
    public PipelineSpec parseUntrusted(String yamlText, String origin) {
        return parseAny(yamlText, origin, References.refused()).only("the server");
    }

    /**
     * As {@link #parseUntrusted}, in either form: a {@code nodes:}/{@code edges:} graph too.
     *
     * @throws SiphonException a {@code CONFIG_*} code listing every problem
     */
    public PipelineGraph parseGraphUntrusted(String yamlText, String origin) {
        return parseAny(yamlText, origin, References.refused());
    }

    /**
     * A value to put into spec text so that the parser reads it back exactly as it is, even when it
     * looks like a {@code ${env:..}} reference: for values that are data, not spec, such as a
     * stored connection's password.
     */
    public static String literal(String value) {
        return References.escape(value);
    }

    PipelineSpec parse(String yamlText, String origin, References references) {
        return parseAny(yamlText, origin, references).only("this command");
    }

    PipelineGraph parseAny(String yamlText, String origin, References references) {
        YamlNode root = YamlReader.read(yamlText, origin);
        Problems problems = new Problems(origin);
        if (!(root instanceof YamlNode.MapNode map)) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    origin
                            + ":"
                            + root.line()
                            + ": a pipeline spec is a mapping with name, source and sink (or"
                            + " nodes and edges)");
        }
        boolean graph = map.entries().containsKey("nodes") || map.entries().containsKey("edges");
        List<String> validTop = new ArrayList<>();
        SpecOptions.TOP_LEVEL.forEach(o -> validTop.add(o.name()));
        if (graph) {
            validTop.addAll(GRAPH_BLOCKS);
            for (String linear : SpecOptions.BLOCKS) {
                if (map.entries().containsKey(linear)) {
                    problems.add(
                            map.lineOf(linear),
                            ErrorCode.CONFIG_UNKNOWN_KEY,
                            "'"
                                    + linear
                                    + "' belongs to the linear form, but this spec has nodes and"
                                    + " edges; make it a node, for example nodes: [ { id: db1, "
                                    + (linear.equals("transforms") ? "filter" : linear)
                                    + ": { ... } } ]");
                }
            }
        } else {
            validTop.addAll(SpecOptions.BLOCKS);
        }
        // The linear form's blocks in a graph are reported above, with what to write instead.
        checkKeys(map, graph ? withBlocks(validTop) : validTop, "", problems);

        Map<String, Object> top = scalars(map, SpecOptions.TOP_LEVEL, references, problems);
        Config engine = toConfig(top, SpecOptions.TOP_LEVEL, map, "", problems);
        String name = engine == null ? null : engine.get(SpecOptions.NAME);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(
                    map.lineOf("name"),
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'name' is '"
                            + name
                            + "' but must be 1 to 63 letters, digits, - or _, starting with a"
                            + " letter or digit");
        }
        if (engine != null) {
            positive(engine, SpecOptions.PARALLELISM, 0, map, problems);
            positive(engine, SpecOptions.CHUNK_ROWS, 1, map, problems);
            positive(engine, SpecOptions.BATCH_ROWS, 1, map, problems);
        }
        if (graph) {
            GraphParts parts = graphParts(map, references, problems);
            problems.throwIfAny();
            PipelineGraph compiled =
                    new GraphCompiler(operators, problems).compile(name, parts, settings(engine));
            problems.throwIfAny();
            return compiled;
        }

        List<TransformSpec> transforms = transforms(map, references, problems);

        SourceSpec source = null;
        YamlNode.MapNode sourceBlock = block(map, "source", problems);
        if (sourceBlock != null) {
            source = source(sourceBlock, "source", references, problems);
        }
        SinkSpec sink = null;
        YamlNode.MapNode sinkBlock = block(map, "sink", problems);
        if (sinkBlock != null) {
            sink = sink(sinkBlock, "sink", references, problems);
        }
        problems.throwIfAny();
        return PipelineGraph.linear(settings(engine).spec(name, source, sink, transforms, false));
    }

    /** The keys of the graph form beside the top-level options. */
    private static final List<String> GRAPH_BLOCKS = List.of("nodes", "edges");

    /** The valid top-level keys, where the linear form's blocks are reported on their own. */
    private static List<String> withBlocks(List<String> valid) {
        List<String> out = new ArrayList<>(valid);
        out.addAll(SpecOptions.BLOCKS);
        return out;
    }

    /** The engine's settings shared by every flow of a pipeline. */
    private static GraphCompiler.Settings settings(Config engine) {
        int parallelism = engine.get(SpecOptions.PARALLELISM);
        if (parallelism == 0) {
            parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
        }
        return new GraphCompiler.Settings(
                Mode.fromText(engine.get(SpecOptions.MODE)),
                SchemaChangePolicy.valueOf(
                        engine.get(SpecOptions.SCHEMA_CHANGES).toUpperCase(java.util.Locale.ROOT)),
                parallelism,
                engine.get(SpecOptions.CHUNK_ROWS),
                engine.get(SpecOptions.BATCH_ROWS),
                engine.get(SpecOptions.FLUSH_INTERVAL),
                engine.get(SpecOptions.CHECKPOINT_INTERVAL),
                engine.get(SpecOptions.DISCOVERY_INTERVAL));
    }

    private SourceSpec source(
            YamlNode.MapNode block, String path, References references, Problems problems) {
        Endpoint e = endpoint(block, "source", path, List.of(), references, problems);
        return e == null ? null : new SourceSpec(e.type(), e.config());
    }

    private SinkSpec sink(
            YamlNode.MapNode block, String path, References references, Problems problems) {
        Endpoint e =
                endpoint(
                        block, "sink", path, List.of(SpecOptions.SINK_TABLE), references, problems);
        if (e == null) {
            return null;
        }
        try {
            // Which tables and columns it names is checked against the source's, later.
            ColumnTypes.of(e.config());
        } catch (SiphonException ex) {
            problems.add(
                    block.lineOf(StandardOptions.COLUMN_TYPES.name()), ex.code(), ex.getMessage());
        }
        return new SinkSpec(e.type(), e.config(), e.engineValues().get(SpecOptions.SINK_TABLE));
    }

    /** The nodes and edges as written, each node parsed, with the lines they start on. */
    record GraphParts(
            List<GraphNode> nodes,
            Map<String, Integer> nodeLines,
            List<GraphEdge> edges,
            List<Integer> edgeLines) {}

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    /**
     * The {@code nodes} and {@code edges} lists: each node an {@code id} and one kind ({@code
     * source}, {@code sink}, {@code union} or an operator) with its options; each edge {@code from}
     * and {@code to}. What the nodes' kinds alone say is checked here; how they connect, by {@link
     * GraphCompiler}.
     */
    private GraphParts graphParts(YamlNode.MapNode map, References references, Problems problems) {
        List<String> kinds = new ArrayList<>(List.of("source", "sink", "union"));
        kinds.addAll(operators.types());
        List<GraphNode> nodes = new ArrayList<>();
        Map<String, Integer> nodeLines = new LinkedHashMap<>();
        YamlNode.ListNode nodeList =
                list(
                        map,
                        "nodes",
                        "nodes: [ { id: db1, source: { type:"
                                + " postgres, ... } }, { id: warehouse, sink: { ... } } ]",
                        problems);
        boolean complete = nodeList != null;
        for (YamlNode item : nodeList == null ? List.<YamlNode>of() : nodeList.items()) {
            if (!(item instanceof YamlNode.MapNode node)) {
                problems.add(
                        item.line(),
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "each node is a block with an id and one of "
                                + String.join(", ", kinds)
                                + ", for example { id: db1, source: { type: postgres, ... } }");
                complete = false;
                continue;
            }
            String id = nodeId(node, problems);
            List<String> kindKeys =
                    node.entries().keySet().stream().filter(k -> !k.equals("id")).toList();
            if (id == null) {
                complete = false;
                continue;
            }
            if (nodeLines.containsKey(id)) {
                problems.add(
                        node.lineOf("id"),
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "node id '"
                                + id
                                + "' is used twice (first on line "
                                + nodeLines.get(id)
                                + "); give each node an id of its own");
                complete = false;
                continue;
            }
            nodeLines.put(id, node.lineOf("id"));
            if (kindKeys.size() != 1) {
                problems.add(
                        node.line(),
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "node "
                                + id
                                + " must have exactly one of "
                                + String.join(", ", kinds)
                                + " beside its id"
                                + (kindKeys.isEmpty()
                                        ? ""
                                        : "; it has " + String.join(", ", kindKeys)));
                complete = false;
                continue;
            }
            String kind = kindKeys.get(0);
            YamlNode.Entry entry = node.entries().get(kind);
            GraphNode parsed =
                    switch (kind) {
                        case "source" -> {
                            YamlNode.MapNode b = nodeBlock(id, kind, entry, problems);
                            SourceSpec spec =
                                    b == null
                                            ? null
                                            : source(
                                                    b,
                                                    "nodes." + id + ".source",
                                                    references,
                                                    problems);
                            yield spec == null ? null : new GraphNode.Source(id, spec);
                        }
                        case "sink" -> {
                            YamlNode.MapNode b = nodeBlock(id, kind, entry, problems);
                            SinkSpec spec =
                                    b == null
                                            ? null
                                            : sink(
                                                    b,
                                                    "nodes." + id + ".sink",
                                                    references,
                                                    problems);
                            yield spec == null ? null : new GraphNode.Sink(id, spec);
                        }
                        case "union" -> union(id, entry, problems);
                        default -> {
                            if (!operators.types().contains(kind)) {
                                String hint =
                                        NameSuggester.nearest(kind, kinds)
                                                .map(n -> "did you mean '" + n + "'?")
                                                .orElse("kinds: " + String.join(", ", kinds));
                                problems.add(
                                        entry.keyLine(),
                                        ErrorCode.CONFIG_UNKNOWN_KEY,
                                        "node " + id + ": unknown kind '" + kind + "': " + hint);
                                yield null;
                            }
                            TransformSpec t =
                                    operator(kind, entry, "node " + id, id, references, problems);
                            yield t == null ? null : new GraphNode.Operator(id, t);
                        }
                    };
            if (parsed == null) {
                complete = false;
            } else {
                nodes.add(parsed);
            }
        }
        List<GraphEdge> edges = new ArrayList<>();
        List<Integer> edgeLines = new ArrayList<>();
        YamlNode.ListNode edgeList =
                list(map, "edges", "edges: [ { from: db1, to: warehouse } ]", problems);
        for (YamlNode item : edgeList == null ? List.<YamlNode>of() : edgeList.items()) {
            if (!(item instanceof YamlNode.MapNode edge)) {
                problems.add(
                        item.line(),
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "each edge is a block { from: <node id>, to: <node id> }");
                continue;
            }
            checkKeys(edge, List.of("from", "to"), "edges.", problems);
            String from = edgeEnd(edge, "from", nodeLines, complete, problems);
            String to = edgeEnd(edge, "to", nodeLines, complete, problems);
            if (from != null && to != null) {
                edges.add(new GraphEdge(from, to));
                edgeLines.add(edge.line());
            }
        }
        return new GraphParts(nodes, nodeLines, edges, edgeLines);
    }

    private static YamlNode.ListNode list(
            YamlNode.MapNode map, String key, String example, Problems problems) {
        YamlNode.Entry e = map.entries().get(key);
        if (e == null) {
            problems.add(
                    map.line(),
                    ErrorCode.CONFIG_MISSING_KEY,
                    "missing required key '"
                            + key
                            + "' of a pipeline graph, for example "
                            + example);
            return null;
        }
        if (e.value() instanceof YamlNode.ListNode l && !l.items().isEmpty()) {
            return l;
        }
        problems.add(
                e.keyLine(),
                ErrorCode.CONFIG_INVALID_VALUE,
                "'" + key + "' must be a non-empty list, for example " + example);
        return null;
    }

    private static String nodeId(YamlNode.MapNode node, Problems problems) {
        YamlNode.Entry e = node.entries().get("id");
        if (e == null
                || !(e.value() instanceof YamlNode.ScalarNode s)
                || !(s.value() instanceof String id)) {
            problems.add(
                    node.line(),
                    ErrorCode.CONFIG_MISSING_KEY,
                    "a node needs an 'id' that edges name it by, for example id: db1");
            return null;
        }
        if (!NODE_ID.matcher(id).matches()) {
            problems.add(
                    e.keyLine(),
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "node id '"
                            + id
                            + "' must be 1 to 63 letters, digits, - or _, starting with a letter"
                            + " or digit");
            return null;
        }
        return id;
    }

    private static YamlNode.MapNode nodeBlock(
            String id, String kind, YamlNode.Entry entry, Problems problems) {
        if (entry.value() instanceof YamlNode.MapNode m) {
            return m;
        }
        problems.add(
                entry.keyLine(),
                ErrorCode.CONFIG_INVALID_VALUE,
                "node " + id + ": '" + kind + "' must be a block of keys (type, url, ...)");
        return null;
    }

    private static GraphNode union(String id, YamlNode.Entry entry, Problems problems) {
        if (entry.value() instanceof YamlNode.ScalarNode s && s.value() == null) {
            return new GraphNode.Union(id, null);
        }
        if (!(entry.value() instanceof YamlNode.MapNode m)) {
            problems.add(
                    entry.keyLine(),
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "node "
                            + id
                            + ": 'union' takes a block, for example union: { source-column:"
                            + " source_db }, or nothing");
            return null;
        }
        checkKeys(m, List.of(UNION_SOURCE_COLUMN), "union.", problems);
        YamlNode.Entry column = m.entries().get(UNION_SOURCE_COLUMN);
        if (column == null) {
            return new GraphNode.Union(id, null);
        }
        if (column.value() instanceof YamlNode.ScalarNode c
                && c.value() instanceof String name
                && !name.isBlank()) {
            return new GraphNode.Union(id, name);
        }
        problems.add(
                column.keyLine(),
                ErrorCode.CONFIG_INVALID_VALUE,
                "node " + id + ": 'source-column' must be a column name, for example source_db");
        return null;
    }

    /** The union's option: a column holding the source node's id, in the key. */
    static final String UNION_SOURCE_COLUMN = "source-column";

    private static String edgeEnd(
            YamlNode.MapNode edge,
            String end,
            Map<String, Integer> nodeLines,
            boolean nodesComplete,
            Problems problems) {
        YamlNode.Entry e = edge.entries().get(end);
        if (e == null
                || !(e.value() instanceof YamlNode.ScalarNode s)
                || !(s.value() instanceof String id)) {
            problems.add(
                    edge.line(),
                    ErrorCode.CONFIG_MISSING_KEY,
                    "an edge needs '"
                            + end
                            + "': the id of a node, for example { from: db1, to:"
                            + " warehouse }");
            return null;
        }
        if (!nodeLines.containsKey(id)) {
            if (nodesComplete) {
                String hint =
                        NameSuggester.nearest(id, nodeLines.keySet())
                                .map(n -> "did you mean '" + n + "'?")
                                .orElse("nodes: " + String.join(", ", nodeLines.keySet()));
                problems.add(
                        e.keyLine(),
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "edges." + end + ": there is no node '" + id + "': " + hint);
            }
            return null;
        }
        return id;
    }

    /**
     * The {@code transforms} list: each item a one-key mapping from an installed operator type to
     * its options, checked against the operator's own options (every problem, with the nearest
     * valid key) and created once, so that what the options alone can say is wrong (a regular
     * expression that does not compile) fails here; what depends on a table's columns fails when
     * the chain is bound to the table.
     */
    private List<TransformSpec> transforms(
            YamlNode.MapNode map, References references, Problems problems) {
        YamlNode.Entry entry = map.entries().get("transforms");
        if (entry == null || entry.value() instanceof YamlNode.ScalarNode s && s.value() == null) {
            return List.of();
        }
        if (!(entry.value() instanceof YamlNode.ListNode list)) {
            problems.add(
                    entry.keyLine(),
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'transforms' must be a list of operators, for example transforms: [ {"
                            + " filter: { where: \"row.status != 'test'\" } } ]");
            return List.of();
        }
        List<TransformSpec> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            String name = "#" + (i + 1);
            if (!(item instanceof YamlNode.MapNode step) || step.entries().size() != 1) {
                problems.add(
                        item.line(),
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "transforms "
                                + name
                                + " must be one operator with its options, for example - drop: {"
                                + " columns: [note] }; operators: "
                                + String.join(", ", operators.types()));
                continue;
            }
            Map.Entry<String, YamlNode.Entry> only = step.entries().entrySet().iterator().next();
            TransformSpec spec =
                    operator(
                            only.getKey(),
                            only.getValue(),
                            "transforms " + name,
                            name,
                            references,
                            problems);
            if (spec != null) {
                out.add(spec);
            }
        }
        return List.copyOf(out);
    }

    /**
     * One operator with its options, checked against the operator's own options and created once;
     * null after adding its problems.
     *
     * @param label how messages name the step: {@code transforms #1} or {@code node mask-pii}
     * @param name the step's name in the chain
     */
    private TransformSpec operator(
            String type,
            YamlNode.Entry entry,
            String label,
            String name,
            References references,
            Problems problems) {
        int line = entry.keyLine();
        TransformFactory factory;
        try {
            factory = operators.factory(type);
        } catch (SiphonException e) {
            problems.add(line, e.code(), label + ": " + e.getMessage());
            return null;
        }
        YamlNode body = entry.value();
        Map<String, Object> raw = new LinkedHashMap<>();
        YamlNode.MapNode options = null;
        if (body instanceof YamlNode.MapNode m) {
            options = m;
            m.entries()
                    .forEach(
                            (k, e) ->
                                    raw.put(
                                            k,
                                            resolve(
                                                    e.value(),
                                                    "transforms." + type + "." + k,
                                                    references,
                                                    problems)));
        } else if (!(body instanceof YamlNode.ScalarNode s && s.value() == null)) {
            problems.add(
                    line,
                    ErrorCode.CONFIG_INVALID_VALUE,
                    label
                            + " ("
                            + type
                            + ") takes a block of options, for example "
                            + type
                            + ": { tables: public.orders, ... }");
            return null;
        }
        List<ConfigProblem> found = Config.problems(raw, factory.options(), List.of());
        for (ConfigProblem p : found) {
            problems.add(
                    options == null ? line : options.lineOf(p.key()),
                    p.code(),
                    label + " (" + type + "): " + p.message());
        }
        if (!found.isEmpty()) {
            return null;
        }
        TransformSpec spec =
                new TransformSpec(name, type, Config.of(raw, factory.options(), List.of()));
        try {
            operators.steps(List.of(spec));
            return spec;
        } catch (SiphonException e) {
            problems.add(line, e.code(), e.getMessage());
            return null;
        }
    }

    private static void positive(
            Config config,
            Option<Integer> option,
            int min,
            YamlNode.MapNode map,
            Problems problems) {
        int v = config.get(option);
        if (v < min) {
            problems.add(
                    map.lineOf(option.name()),
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'" + option.name() + "' is " + v + " but must be at least " + min);
        }
    }

    private record Endpoint(String type, Config config, Map<Option<String>, String> engineValues) {}

    private Endpoint endpoint(
            YamlNode.MapNode block,
            String side,
            String path,
            List<Option<String>> engineKeys,
            References references,
            Problems problems) {
        YamlNode.Entry typeEntry = block.entries().get("type");
        if (typeEntry == null
                || !(typeEntry.value() instanceof YamlNode.ScalarNode s)
                || s.value() == null) {
            problems.add(
                    block.line(),
                    ErrorCode.CONFIG_MISSING_KEY,
                    "'"
                            + path
                            + "' needs a 'type' naming its connector; installed: "
                            + String.join(", ", connectors.types()));
            return null;
        }
        String type = s.value().toString();
        ConnectorFactory factory;
        try {
            factory = connectors.factory(type);
        } catch (SiphonException e) {
            problems.add(typeEntry.keyLine(), e.code(), path + ".type: " + e.getMessage());
            return null;
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        Map<Option<String>, String> engineValues = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>(List.of("type"));
        engineKeys.forEach(k -> ignored.add(k.name()));
        for (Map.Entry<String, YamlNode.Entry> e : block.entries().entrySet()) {
            Object value =
                    resolve(e.getValue().value(), path + "." + e.getKey(), references, problems);
            raw.put(e.getKey(), value);
        }
        for (Option<String> k : engineKeys) {
            Object v = raw.get(k.name());
            engineValues.put(k, v == null ? k.defaultValue() : v.toString());
        }
        List<ConfigProblem> found = Config.problems(raw, factory.options(), ignored);
        for (ConfigProblem p : found) {
            problems.add(block.lineOf(p.key()), p.code(), path + ": " + p.message());
        }
        boolean misplaced = false;
        for (Option<?> o : factory.options()) {
            if (raw.containsKey(o.name()) && !belongsTo(o, side)) {
                misplaced = true;
                problems.add(
                        block.lineOf(o.name()),
                        ErrorCode.CONFIG_UNKNOWN_KEY,
                        misplaced(o, side, path));
            }
        }
        if (!found.isEmpty() || misplaced) {
            return null;
        }
        Map<String, Object> connectorValues = new LinkedHashMap<>(raw);
        ignored.forEach(connectorValues::remove);
        return new Endpoint(
                type, Config.of(connectorValues, factory.options(), List.of()), engineValues);
    }

    /** Whether an option may be set in the {@code source} or the {@code sink} block. */
    private static boolean belongsTo(Option<?> option, String block) {
        return block.equals("sink")
                ? option.appliesTo(Usage.SINK)
                : option.appliesTo(Usage.SOURCE) || option.appliesTo(Usage.STREAM_SOURCE);
    }

    /**
     * An option set on the wrong side: it would be ignored there, so the rows would go somewhere
     * the user did not mean.
     */
    private static String misplaced(Option<?> option, String block, String path) {
        String other = block.equals("sink") ? "source" : "sink";
        String hint =
                block.equals("sink") && option.name().equals(StandardOptions.TABLES.name())
                        ? "; the sink names its target tables with 'table', for example table:"
                                + " \"analytics.{table}\""
                        : "";
        return path
                + ": '"
                + option.name()
                + "' is an option of the "
                + other
                + " and would be ignored here; move it to the "
                + other
                + " block"
                + hint;
    }

    private static YamlNode.MapNode block(YamlNode.MapNode map, String key, Problems problems) {
        YamlNode.Entry e = map.entries().get(key);
        if (e == null) {
            problems.add(
                    map.line(),
                    ErrorCode.CONFIG_MISSING_KEY,
                    "missing required key '"
                            + key
                            + "': a block with the "
                            + key
                            + "'s type and connection, for example "
                            + key
                            + ": { type: postgres, url: jdbc:postgresql://host:5432/db }");
            return null;
        }
        if (e.value() instanceof YamlNode.MapNode m) {
            return m;
        }
        problems.add(
                e.keyLine(),
                ErrorCode.CONFIG_INVALID_VALUE,
                "'" + key + "' must be a block of keys (type, url, ...), not a single value");
        return null;
    }

    private static void checkKeys(
            YamlNode.MapNode map, List<String> valid, String prefix, Problems problems) {
        for (Map.Entry<String, YamlNode.Entry> e : map.entries().entrySet()) {
            if (!valid.contains(e.getKey())) {
                String hint =
                        NameSuggester.nearest(e.getKey(), valid)
                                .map(n -> "did you mean '" + n + "'?")
                                .orElse("valid keys: " + String.join(", ", valid));
                problems.add(
                        e.getValue().keyLine(),
                        ErrorCode.CONFIG_UNKNOWN_KEY,
                        "unknown key '" + prefix + e.getKey() + "': " + hint);
            }
        }
    }

    private static Map<String, Object> scalars(
            YamlNode.MapNode map,
            List<Option<?>> options,
            References references,
            Problems problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Option<?> o : options) {
            YamlNode.Entry e = map.entries().get(o.name());
            if (e != null) {
                out.put(o.name(), resolve(e.value(), o.name(), references, problems));
            }
        }
        return out;
    }

    private static Config toConfig(
            Map<String, Object> raw,
            List<Option<?>> options,
            YamlNode.MapNode map,
            String prefix,
            Problems problems) {
        List<ConfigProblem> found = Config.problems(raw, options, List.of());
        for (ConfigProblem p : found) {
            problems.add(map.lineOf(p.key()), p.code(), prefix + p.message());
        }
        return found.isEmpty() ? Config.of(raw, options, List.of()) : null;
    }

    /** The plain value with references resolved in every string inside it. */
    private static Object resolve(
            YamlNode node, String key, References references, Problems problems) {
        return switch (node) {
            case YamlNode.ScalarNode s when s.value() instanceof String text -> {
                try {
                    yield references.resolve(text, problems.origin + ":" + s.line(), key);
                } catch (SiphonException e) {
                    problems.add(e.code(), e.getMessage());
                    yield text;
                }
            }
            case YamlNode.ScalarNode s -> s.value();
            case YamlNode.ListNode l -> {
                List<Object> items = new ArrayList<>();
                l.items().forEach(i -> items.add(resolve(i, key, references, problems)));
                yield items;
            }
            case YamlNode.MapNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.entries()
                        .forEach(
                                (k, e) ->
                                        out.put(
                                                k,
                                                resolve(
                                                        e.value(),
                                                        key + "." + k,
                                                        references,
                                                        problems)));
                yield out;
            }
        };
    }

    /** Collects problems in line order and throws them as one exception. */
    static final class Problems {
        private final String origin;
        private final List<Found> found = new ArrayList<>();

        private record Found(int line, ErrorCode code, String message) {}

        Problems(String origin) {
            this.origin = origin;
        }

        void add(int line, ErrorCode code, String message) {
            found.add(new Found(line, code, origin + ":" + line + ": " + message));
        }

        /** A problem whose message already names its place. */
        void add(ErrorCode code, String message) {
            found.add(new Found(0, code, message));
        }

        boolean any() {
            return !found.isEmpty();
        }

        void throwIfAny() {
            if (found.isEmpty()) {
                return;
            }
            List<Found> sorted =
                    found.stream().sorted(java.util.Comparator.comparingInt(Found::line)).toList();
            throw new SiphonException(
                    sorted.get(0).code(),
                    sorted.stream().map(Found::message).collect(Collectors.joining("\n")));
        }
    }
}
