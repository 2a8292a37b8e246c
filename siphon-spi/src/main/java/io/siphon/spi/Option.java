package io.siphon.spi;

import java.io.Serializable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting of a connector or of the engine: its name in the pipeline spec, its type, its
 * default, a description for the docs and for error messages, and whether it is a secret.
 *
 * <p>Declare options as constants and list them from {@link ConnectorFactory#options()}:
 *
 * <pre>{@code
 * static final Option<String> URL = Option.string("url", "JDBC URL, jdbc:postgresql://host:5432/db").asRequired();
 * static final Option<String> PASSWORD = Option.string("password", "Password of the user").asSensitive();
 * static final Option<Integer> FETCH_SIZE = Option.integer("fetch-size", "Rows per round trip", 10_000);
 * }</pre>
 *
 * @param name the key in the spec (kebab-case)
 * @param kind the value type
 * @param defaultValue the value when the key is absent; null for none
 * @param description one sentence for the docs and error messages
 * @param sensitive whether the value is a secret: never logged, shown or returned
 * @param required whether the key must be present
 * @param choices the allowed values of a {@link Kind#CHOICE} option, otherwise empty
 * @param usages the sides of a pipeline the option is for (a source-only option in a sink block is
 *     an error, not silently ignored); empty for every side
 * @param <T> the Java type of the value
 */
public record Option<T>(
        String name,
        Kind kind,
        T defaultValue,
        String description,
        boolean sensitive,
        boolean required,
        List<String> choices,
        List<Usage> usages)
        implements Serializable {

    /** The value types an option can have. */
    public enum Kind {
        /** A {@link String}. */
        STRING,
        /** An {@link Integer}. */
        INTEGER,
        /** A {@link Long}. */
        LONG,
        /** A {@link Boolean}. */
        BOOLEAN,
        /** A {@link Duration}, written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
        DURATION,
        /**
         * A {@code List<String>}; a single string is taken as a list of one, but one with a comma
         * (outside braces) is refused: {@code tables: a, b} is meant as a list and must be written
         * {@code [a, b]}.
         */
        STRING_LIST,
        /** A {@link String} that must be one of {@link Option#choices()}. */
        CHOICE,
        /**
         * A {@code Map<String, String>} in the order written, such as {@code {total: "row.a +
         * row.b"}}.
         */
        STRING_MAP
    }

    private static final Pattern DURATION_TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** Checks the parts. */
    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        usages = List.copyOf(usages);
    }

    /** An option for every side, as every factory method makes. */
    private Option(
            String name,
            Kind kind,
            T defaultValue,
            String description,
            boolean sensitive,
            boolean required,
            List<String> choices) {
        this(name, kind, defaultValue, description, sensitive, required, choices, List.of());
    }

    /** A text option without a default. */
    public static Option<String> string(String name, String description) {
        return new Option<>(name, Kind.STRING, null, description, false, false, List.of());
    }

    /** A text option with a default. */
    public static Option<String> string(String name, String description, String defaultValue) {
        return new Option<>(name, Kind.STRING, defaultValue, description, false, false, List.of());
    }

    /** An integer option with a default. */
    public static Option<Integer> integer(String name, String description, int defaultValue) {
        return new Option<>(name, Kind.INTEGER, defaultValue, description, false, false, List.of());
    }

    /** A long option with a default. */
    public static Option<Long> longValue(String name, String description, long defaultValue) {
        return new Option<>(name, Kind.LONG, defaultValue, description, false, false, List.of());
    }

    /** A boolean option with a default. */
    public static Option<Boolean> bool(String name, String description, boolean defaultValue) {
        return new Option<>(name, Kind.BOOLEAN, defaultValue, description, false, false, List.of());
    }

    /** A duration option with a default. */
    public static Option<Duration> duration(
            String name, String description, Duration defaultValue) {
        return new Option<>(
                name, Kind.DURATION, defaultValue, description, false, false, List.of());
    }

    /** A list-of-text option, empty by default. */
    public static Option<List<String>> stringList(String name, String description) {
        return new Option<>(
                name, Kind.STRING_LIST, List.of(), description, false, false, List.of());
    }

    /** A map-of-text option (keys in the order written), empty by default. */
    public static Option<Map<String, String>> stringMap(String name, String description) {
        return new Option<>(name, Kind.STRING_MAP, Map.of(), description, false, false, List.of());
    }

    /** A text option limited to some values, with a default (one of them). */
    public static Option<String> choice(
            String name, String description, String defaultValue, String... choices) {
        return new Option<>(
                name, Kind.CHOICE, defaultValue, description, false, false, List.of(choices));
    }

    /** The same option, required. */
    public Option<T> asRequired() {
        return new Option<>(
                name, kind, defaultValue, description, sensitive, true, choices, usages);
    }

    /** The same option, marked as a secret. */
    public Option<T> asSensitive() {
        return new Option<>(name, kind, defaultValue, description, true, required, choices, usages);
    }

    /** The same option, for these sides of a pipeline only. */
    public Option<T> onlyFor(Usage... sides) {
        return new Option<>(
                name,
                kind,
                defaultValue,
                description,
                sensitive,
                required,
                choices,
                List.of(sides));
    }

    /** Whether the option may be set on this side of a pipeline. */
    public boolean appliesTo(Usage side) {
        return usages.isEmpty() || usages.contains(side);
    }

    /**
     * Converts a value as parsed from YAML or JSON (string, number, boolean or list) to this
     * option's type.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} naming the key and the
     *     expected form
     */
    @SuppressWarnings("unchecked")
    public T convert(Object raw) {
        Object value =
                switch (kind) {
                    case STRING -> scalarText(raw);
                    case INTEGER -> toInteger(raw);
                    case LONG -> toLong(raw);
                    case BOOLEAN -> toBoolean(raw);
                    case DURATION -> toDuration(raw);
                    case STRING_LIST -> toStringList(raw);
                    case CHOICE -> toChoice(raw);
                    case STRING_MAP -> toStringMap(raw);
                };
        return (T) value;
    }

    private String scalarText(Object raw) {
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
            return raw.toString();
        }
        throw invalid(raw, "a single value");
    }

    private Integer toInteger(Object raw) {
        Long l = toLong(raw);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw invalid(raw, "a whole number that fits in 32 bits");
        }
        return l.intValue();
    }

    private Long toLong(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof String s) {
            try {
                return Long.parseLong(s.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw invalid(raw, "a whole number");
            }
        }
        throw invalid(raw, "a whole number");
    }

    private Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return true;
                }
                case "false", "no", "off" -> {
                    return false;
                }
                default -> {}
            }
        }
        throw invalid(raw, "true or false");
    }

    private Duration toDuration(Object raw) {
        if (raw instanceof Integer || raw instanceof Long) {
            return Duration.ofMillis(((Number) raw).longValue());
        }
        if (raw instanceof String s) {
            Matcher m = DURATION_TEXT.matcher(s.strip());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(s.strip());
            } catch (DateTimeParseException e) {
                throw invalid(raw, "a duration such as 500ms, 10s, 5m or 1h");
            }
        }
        throw invalid(raw, "a duration such as 500ms, 10s, 5m or 1h");
    }

    private List<String> toStringList(Object raw) {
        if (raw instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(scalarText(item));
            }
            return List.copyOf(out);
        }
        String text = scalarText(raw);
        if (text.replaceAll("\\{[^}]*}", "").contains(",")) {
            throw invalid(
                    raw, "a list, written [" + String.join(", ", text.split("\\s*,\\s*")) + "]");
        }
        return List.of(text);
    }

    private Map<String, String> toStringMap(Object raw) {
        if (raw instanceof Map<?, ?> map) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(scalarText(e.getKey()), scalarText(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw invalid(raw, "a map of names to values, such as { name: value }");
    }

    private String toChoice(Object raw) {
        String s = scalarText(raw);
        if (!choices.contains(s)) {
            String hint =
                    NameSuggester.nearest(s, choices)
                            .map(c -> "; did you mean '" + c + "'?")
                            .orElse("");
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'"
                            + name
                            + "' is '"
                            + s
                            + "' but must be one of "
                            + String.join(" | ", choices)
                            + hint);
        }
        return s;
    }

    private SiphonException invalid(Object raw, String expected) {
        String shown = sensitive ? "(hidden)" : "'" + raw + "'";
        return new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                "'"
                        + name
                        + "' is "
                        + shown
                        + " but must be "
                        + expected
                        + " ("
                        + description
                        + ")");
    }
}
