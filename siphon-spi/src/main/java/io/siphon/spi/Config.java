package io.siphon.spi;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validated settings of a connector: each value already converted to its {@link Option}'s type.
 * Built with {@link #of}, which rejects unknown keys, missing required keys and bad values, all at
 * once. {@link #toString()} hides sensitive values.
 *
 * <p>Serializable, so that a running pipeline's parallel readers and writers can each create their
 * own connector from it.
 */
public final class Config implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Object> values;
    private final List<Option<?>> options;

    private Config(Map<String, Object> values, List<Option<?>> options) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.options = List.copyOf(options);
    }

    /**
     * Every problem of a raw configuration against the declared options, in key order: unknown keys
     * (with the nearest valid key), missing required keys, values of the wrong type.
     *
     * @param raw values as parsed from YAML or JSON
     * @param options the declared options
     * @param ignoredKeys keys handled elsewhere (for example {@code type}), neither checked nor
     *     kept
     */
    public static List<ConfigProblem> problems(
            Map<String, ?> raw, List<Option<?>> options, List<String> ignoredKeys) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Option<?>> byName = byName(options);
        // A misspelt required key is one mistake: reported as unknown, with the right name.
        java.util.Set<String> suggested = new java.util.HashSet<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            String key = e.getKey();
            if (ignoredKeys.contains(key)) {
                continue;
            }
            Option<?> option = byName.get(key);
            if (option == null) {
                List<String> valid = new ArrayList<>(byName.keySet());
                valid.addAll(ignoredKeys);
                java.util.Optional<String> nearest = NameSuggester.nearest(key, valid);
                nearest.ifPresent(suggested::add);
                String hint =
                        nearest.map(n -> "did you mean '" + n + "'?")
                                .orElse("valid keys: " + String.join(", ", valid));
                problems.add(
                        new ConfigProblem(
                                key,
                                ErrorCode.CONFIG_UNKNOWN_KEY,
                                "unknown key '" + key + "': " + hint));
                continue;
            }
            if (e.getValue() == null) {
                if (option.required()) {
                    problems.add(missing(option));
                }
                continue;
            }
            try {
                option.convert(e.getValue());
            } catch (SiphonException ex) {
                problems.add(new ConfigProblem(key, ex.code(), ex.getMessage()));
            }
        }
        for (Option<?> option : options) {
            if (option.required()
                    && !raw.containsKey(option.name())
                    && !suggested.contains(option.name())) {
                problems.add(missing(option));
            }
        }
        return problems;
    }

    private static ConfigProblem missing(Option<?> option) {
        return new ConfigProblem(
                option.name(),
                ErrorCode.CONFIG_MISSING_KEY,
                "missing required key '" + option.name() + "': " + option.description());
    }

    /**
     * Validates and converts a raw configuration.
     *
     * @throws SiphonException listing every problem, with the code of the first
     */
    public static Config of(Map<String, ?> raw, List<Option<?>> options, List<String> ignoredKeys) {
        List<ConfigProblem> problems = problems(raw, options, ignoredKeys);
        if (!problems.isEmpty()) {
            throw new SiphonException(
                    problems.get(0).code(),
                    problems.stream()
                            .map(ConfigProblem::message)
                            .collect(Collectors.joining("; ")));
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        Map<String, Option<?>> byName = byName(options);
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            Option<?> option = byName.get(e.getKey());
            if (option != null && e.getValue() != null) {
                converted.put(e.getKey(), option.convert(e.getValue()));
            }
        }
        return new Config(converted, options);
    }

    /**
     * Validates and converts a block of configuration that has a place in a bigger document (a
     * connection's {@code config}, a pipeline's {@code restart}).
     *
     * @param where the block's path, which starts each problem ({@code config.url: ...})
     * @throws SiphonException with the code of the first problem and every problem on its own line
     */
    public static Config of(Map<String, ?> raw, List<Option<?>> options, String where) {
        List<ConfigProblem> problems = problems(raw, options, List.of());
        if (!problems.isEmpty()) {
            throw new SiphonException(
                    problems.get(0).code(),
                    problems.stream()
                            .map(p -> where + "." + p.key() + ": " + p.message())
                            .collect(Collectors.joining("\n")));
        }
        return of(raw, options, List.of());
    }

    private static Map<String, Option<?>> byName(List<Option<?>> options) {
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> o : options) {
            byName.put(o.name(), o);
        }
        return byName;
    }

    /** The value of an option, or its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        Object v = values.get(option.name());
        return v != null ? (T) v : option.defaultValue();
    }

    /** Whether the option was given explicitly. */
    public boolean has(Option<?> option) {
        return values.containsKey(option.name());
    }

    /** Key and value of each given option, with sensitive values hidden. */
    @Override
    public String toString() {
        Map<String, Option<?>> byName = byName(options);
        return values.entrySet().stream()
                .map(
                        e -> {
                            Option<?> o = byName.get(e.getKey());
                            Object shown = o != null && o.sensitive() ? "****" : e.getValue();
                            return e.getKey() + "=" + shown;
                        })
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
