package io.siphon.connector.postgres.types;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns a composite value's text form (a record literal, as the change stream receives it) into the
 * JSON text that {@code to_json(value)::text} gives the snapshot for the same value, so that both
 * paths carry a composite column as the same {@link io.siphon.model.DataType.JsonType} value.
 *
 * <p>It follows {@code to_json}'s rules per field type (domains as their base type): booleans as
 * {@code true}/{@code false}; integers, floats and numerics as JSON numbers when their text is a
 * valid JSON number, else as strings ({@code "NaN"}); dates as strings; timestamps as ISO 8601
 * strings with a {@code T} (and {@code +00:00} for instants); {@code json}/{@code jsonb} as they
 * are; arrays as JSON arrays; nested composites as objects; everything else as a JSON string of its
 * text form. Fields of extension types that define their own cast to {@code json} are written as
 * strings (the server would use the cast).
 */
public final class CompositeJson {

    /** A JSON number as PostgreSQL's JSON parser accepts it. */
    private static final Pattern JSON_NUMBER =
            Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private CompositeJson() {}

    /** How {@code to_json} writes the values of one type. */
    public sealed interface JsonForm
            permits Bool, Numeric, Date, Timestamp, TimestampTz, Json, Text, Array, Composite {}

    /** {@code boolean}. */
    public record Bool() implements JsonForm {}

    /** {@code smallint}, {@code integer}, {@code bigint}, {@code real}, {@code double}, numeric. */
    public record Numeric() implements JsonForm {}

    /** {@code date}. */
    public record Date() implements JsonForm {}

    /** {@code timestamp}. */
    public record Timestamp() implements JsonForm {}

    /** {@code timestamptz}. */
    public record TimestampTz() implements JsonForm {}

    /** {@code json} and {@code jsonb}: written as they are. */
    public record Json() implements JsonForm {}

    /** Every other type: its text form as a JSON string. */
    public record Text() implements JsonForm {}

    /**
     * An array.
     *
     * @param element the element type's form
     * @param delimiter the element type's delimiter in array literals
     */
    public record Array(JsonForm element, char delimiter) implements JsonForm {
        /** Checks the element form. */
        public Array {
            Objects.requireNonNull(element, "element");
        }
    }

    /**
     * A composite type.
     *
     * @param fields its fields in order (dropped attributes left out)
     */
    public record Composite(List<Field> fields) implements JsonForm {
        /** Copies the fields. */
        public Composite {
            fields = List.copyOf(fields);
        }
    }

    /**
     * One field of a composite type.
     *
     * @param name the attribute name
     * @param form how its values are written
     */
    public record Field(String name, JsonForm form) {}

    /** The decoder of a composite type's record literals into JSON text. */
    public static TextDecoder decoder(Composite type) {
        return text -> {
            StringBuilder sb = new StringBuilder(text.length() + 16 * type.fields().size());
            append(sb, text, type);
            return sb.toString();
        };
    }

    private static void append(StringBuilder sb, String text, JsonForm form) {
        switch (form) {
            case Bool b -> sb.append(PgTextDecoders.bool(text) ? "true" : "false");
            case Numeric n -> {
                if (JSON_NUMBER.matcher(text).matches()) {
                    sb.append(text);
                } else {
                    appendString(sb, text);
                }
            }
            case Date d -> appendString(sb, text);
            case Timestamp t -> appendString(sb, isoDateTime(text, false));
            case TimestampTz t -> appendString(sb, isoDateTime(text, true));
            case Json j -> sb.append(text);
            case Text t -> appendString(sb, text);
            case Array a -> appendArray(sb, PgLiterals.array(text, a.delimiter()), a.element());
            case Composite r -> appendRecord(sb, PgLiterals.record(text), r);
        }
    }

    private static void appendRecord(StringBuilder sb, List<String> values, Composite type) {
        if (values.size() != type.fields().size()) {
            throw new IllegalArgumentException(
                    "record has "
                            + values.size()
                            + " fields but its type has "
                            + type.fields().size());
        }
        sb.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Field field = type.fields().get(i);
            appendString(sb, field.name());
            sb.append(':');
            appendValue(sb, values.get(i), field.form());
        }
        sb.append('}');
    }

    private static void appendArray(StringBuilder sb, List<Object> elements, JsonForm element) {
        sb.append('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object e = elements.get(i);
            if (e instanceof List<?> inner) {
                @SuppressWarnings("unchecked")
                List<Object> dimension = (List<Object>) inner;
                appendArray(sb, dimension, element);
            } else {
                appendValue(sb, (String) e, element);
            }
        }
        sb.append(']');
    }

    private static void appendValue(StringBuilder sb, String text, JsonForm form) {
        if (text == null) {
            sb.append("null");
        } else {
            append(sb, text, form);
        }
    }

    /**
     * The XSD form {@code to_json} uses: the ISO text with {@code T} between date and time, and the
     * offset always with minutes ({@code +00:00}).
     */
    private static String isoDateTime(String text, boolean withOffset) {
        int space = text.indexOf(' ');
        if (space < 0) {
            return text; // infinity, -infinity
        }
        boolean bc = text.endsWith(" BC");
        int end = text.length() - (bc ? 3 : 0);
        StringBuilder sb = new StringBuilder(text.length() + 4);
        sb.append(text, 0, space).append('T');
        if (withOffset) {
            int zone = space + 1;
            while (zone < end && text.charAt(zone) != '+' && text.charAt(zone) != '-') {
                zone++;
            }
            sb.append(text, space + 1, end);
            if (text.indexOf(':', zone) < 0 || text.indexOf(':', zone) >= end) {
                sb.append(":00");
            }
        } else {
            sb.append(text, space + 1, end);
        }
        if (bc) {
            sb.append(" BC");
        }
        return sb.toString();
    }

    /** A JSON string with PostgreSQL's escapes ({@code escape_json}). */
    private static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < ' ') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
