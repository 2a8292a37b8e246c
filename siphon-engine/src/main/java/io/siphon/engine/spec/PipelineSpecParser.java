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
        return parse(text, file.toString(), References.system(dir));
    }

    /** Parses spec text; {@code origin} names it in messages. */
    public PipelineSpec parse(String yamlText, String origin) {
        return parse(yamlText, origin, References.system(Path.of("").toAbsolutePath()));
    }

    /**
     * Parses spec text that came from outside this machine (the server's API): {@code ${env:..}}
     * and {@code ${file:..}} references are refused rather than resolved.
     */
    public PipelineSpec parseUntrusted(String yamlText, String origin) {
        return parse(yamlText, origin, References.refused());
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
        YamlNode root = YamlReader.read(yamlText, origin);
        Problems problems = new Problems(origin);
        if (!(root instanceof YamlNode.MapNode map)) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    origin
                            + ":"
                            + root.line()
                            + ": a pipeline spec is a mapping with name, source and sink");
        }
        List<String> validTop = new ArrayList<>();
        SpecOptions.TOP_LEVEL.forEach(o -> validTop.add(o.name()));
        validTop.addAll(SpecOptions.BLOCKS);
        checkKeys(map, validTop, "", problems);

        Map<String, Object> top = scalars(map, SpecOptions.TOP_LEVEL, references, problems);
        Config engine = toConfig(top, SpecOptions.TOP_LEVEL, map, "", problems);

        List<TransformSpec> transforms = transforms(map, references, problems);

        SourceSpec source = null;
        YamlNode.MapNode sourceBlock = block(map, "source", problems);
        if (sourceBlock != null) {
            Endpoint e = endpoint(sourceBlock, "source", List.of(), references, problems);
            if (e != null) {
                source = new SourceSpec(e.type(), e.config());
            }
        }
        SinkSpec sink = null;
        YamlNode.MapNode sinkBlock = block(map, "sink", problems);
        if (sinkBlock != null) {
            Endpoint e =
                    endpoint(
                            sinkBlock,
                            "sink",
                            List.of(SpecOptions.SINK_TABLE),
                            references,
                            problems);
            if (e != null) {
                sink =
                        new SinkSpec(
                                e.type(), e.config(), e.engineValues().get(SpecOptions.SINK_TABLE));
                try {
                    // Which tables and columns it names is checked against the source's, later.
                    ColumnTypes.of(e.config());
                } catch (SiphonException ex) {
                    problems.add(
                            sinkBlock.lineOf(StandardOptions.COLUMN_TYPES.name()),
                            ex.code(),
                            ex.getMessage());
                }
            }
        }

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
        Mode mode = engine == null ? Mode.SNAPSHOT : Mode.fromText(engine.get(SpecOptions.MODE));
        if (engine != null) {
            positive(engine, SpecOptions.PARALLELISM, 0, map, problems);
            positive(engine, SpecOptions.CHUNK_ROWS, 1, map, problems);
            positive(engine, SpecOptions.BATCH_ROWS, 1, map, problems);
        }
        problems.throwIfAny();
        int parallelism = engine.get(SpecOptions.PARALLELISM);
        if (parallelism == 0) {
            parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
        }
        return new PipelineSpec(
                name,
                source,
                sink,
                mode,
                SchemaChangePolicy.valueOf(
                        engine.get(SpecOptions.SCHEMA_CHANGES).toUpperCase(java.util.Locale.ROOT)),
                parallelism,
                engine.get(SpecOptions.CHUNK_ROWS),
                engine.get(SpecOptions.BATCH_ROWS),
                engine.get(SpecOptions.FLUSH_INTERVAL),
                engine.get(SpecOptions.CHECKPOINT_INTERVAL),
                engine.get(SpecOptions.DISCOVERY_INTERVAL),
                transforms);
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
            String type = only.getKey();
            int line = only.getValue().keyLine();
            TransformFactory factory;
            try {
                factory = operators.factory(type);
            } catch (SiphonException e) {
                problems.add(line, e.code(), "transforms " + name + ": " + e.getMessage());
                continue;
            }
            YamlNode body = only.getValue().value();
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
                        "transforms "
                                + name
                                + " ("
                                + type
                                + ") takes a block of options, for example "
                                + type
                                + ": { tables: public.orders, ... }");
                continue;
            }
            List<ConfigProblem> found = Config.problems(raw, factory.options(), List.of());
            for (ConfigProblem p : found) {
                problems.add(
                        options == null ? line : options.lineOf(p.key()),
                        p.code(),
                        "transforms " + name + " (" + type + "): " + p.message());
            }
            if (!found.isEmpty()) {
                continue;
            }
            TransformSpec spec =
                    new TransformSpec(name, type, Config.of(raw, factory.options(), List.of()));
            try {
                operators.steps(List.of(spec));
                out.add(spec);
            } catch (SiphonException e) {
                problems.add(line, e.code(), e.getMessage());
            }
        }
        return List.copyOf(out);
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
            if (raw.containsKey(o.name()) && !belongsTo(o, path)) {
                misplaced = true;
                problems.add(
                        block.lineOf(o.name()), ErrorCode.CONFIG_UNKNOWN_KEY, misplaced(o, path));
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
    private static String misplaced(Option<?> option, String block) {
        String other = block.equals("sink") ? "source" : "sink";
        String hint =
                block.equals("sink") && option.name().equals(StandardOptions.TABLES.name())
                        ? "; the sink names its target tables with 'table', for example table:"
                                + " \"analytics.{table}\""
                        : "";
        return block
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
    private static final class Problems {
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
