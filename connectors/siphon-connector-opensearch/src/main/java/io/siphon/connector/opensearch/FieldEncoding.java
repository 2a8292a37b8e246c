package io.siphon.connector.opensearch;

import io.siphon.model.DataType;
import io.siphon.model.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How each portable type is held in a document: the field's mapping and the JSON its values are
 * written as. One table, documented in {@code docs/connectors/opensearch.md}; the choices keep
 * every value exact in {@code _source} (decimals as their text, times with all six fraction
 * digits), and the mapping makes it searchable as far as OpenSearch can:
 *
 * <ul>
 *   <li>integers of every width are {@code long}, so that a widened column needs no new mapping;
 *       floats are {@code double}, with {@code NaN} and infinities kept as text in {@code _source}
 *       and left out of the index ({@code ignore_malformed});
 *   <li>decimals of up to 15 digits are {@code scaled_float} with the column's scale (exact in the
 *       index too), wider or unbounded ones {@code keyword};
 *   <li>dates and timestamps are {@code date} (milliseconds in the index, microseconds in {@code
 *       _source}); a time of day is {@code keyword} of fixed width, so it sorts;
 *   <li>JSON is a {@code flat_object} (searchable, any keys) or its text in an unindexed string, by
 *       the {@code json} choice.
 * </ul>
 */
final class FieldEncoding {

    /** How text columns are indexed ({@link OpenSearchOptions#STRINGS}). */
    enum Strings {
        TEXT_AND_KEYWORD,
        TEXT,
        KEYWORD;

        static Strings of(String option) {
            return switch (option) {
                case "text" -> TEXT;
                case "keyword" -> KEYWORD;
                default -> TEXT_AND_KEYWORD;
            };
        }
    }

    /**
     * The choices of the sink's options that shape mappings.
     *
     * @param strings how text is indexed
     * @param flatJson JSON as {@code flat_object} (searchable; the value must be an object or an
     *     array of objects without duplicate keys) rather than its text in an unindexed string (any
     *     JSON, kept as the source wrote it)
     */
    record Layout(Strings strings, boolean flatJson) {}

    /** The widest decimal that {@code scaled_float} holds exactly (it parses through a double). */
    static final int SCALED_FLOAT_DIGITS = 15;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    // The model's special values (24:00:00 and ±infinity as the type's limits) end in nanoseconds.
    private static final DateTimeFormatter TIME_NANOS =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS");
    private static final DateTimeFormatter TIMESTAMP_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FieldEncoding() {}

    /** The mapping of a field holding a column of {@code type}. */
    static ObjectNode mapping(DataType type, boolean key, Layout layout) {
        ObjectNode m = NODES.objectNode();
        switch (type) {
            case DataType.BooleanType b -> m.put("type", "boolean");
            case DataType.Int16 i -> m.put("type", "long");
            case DataType.Int32 i -> m.put("type", "long");
            case DataType.Int64 i -> m.put("type", "long");
            case DataType.YearType y -> m.put("type", "long");
            case DataType.DurationType d -> m.put("type", "long");
            case DataType.UInt64 u -> m.put("type", "unsigned_long");
            case DataType.DecimalType d -> {
                if (!key
                        && d.precision() > 0
                        && d.precision() <= SCALED_FLOAT_DIGITS
                        && d.scale() >= 0) {
                    m.put("type", "scaled_float");
                    m.put("scaling_factor", BigDecimal.TEN.pow(d.scale()).doubleValue());
                    m.put("ignore_malformed", true);
                } else {
                    m.put("type", "keyword");
                }
            }
            case DataType.Float32 f -> {
                m.put("type", "double");
                m.put("ignore_malformed", true);
            }
            case DataType.Float64 f -> {
                m.put("type", "double");
                m.put("ignore_malformed", true);
            }
            case DataType.StringType s -> text(m, key ? Strings.KEYWORD : layout.strings());
            case DataType.BinaryType b -> m.put("type", key ? "keyword" : "binary");
            case DataType.DateType d -> m.put("type", "date");
            case DataType.TimestampType t -> m.put("type", "date");
            case DataType.TimestampTzType t -> m.put("type", "date");
            case DataType.IntervalType i -> {
                ObjectNode props = m.putObject("properties");
                props.putObject("months").put("type", "long");
                props.putObject("days").put("type", "long");
                props.putObject("micros").put("type", "long");
            }
            case DataType.JsonType j -> {
                if (layout.flatJson()) {
                    m.put("type", "flat_object");
                } else {
                    m.put("type", "keyword");
                    m.put("index", false);
                    m.put("doc_values", false);
                }
            }
            case DataType.ArrayType a -> {
                return mapping(a.element(), false, layout);
            }
            case DataType.TimeType t -> m.put("type", "keyword");
            case DataType.UuidType u -> m.put("type", "keyword");
            case DataType.EnumType e -> m.put("type", "keyword");
            case DataType.SetType s -> m.put("type", "keyword");
            case DataType.BitType b -> m.put("type", "keyword");
            case DataType.GeometryType g -> m.put("type", "keyword");
            case DataType.OtherType o -> m.put("type", "keyword");
        }
        return m;
    }

    private static void text(ObjectNode m, Strings strings) {
        switch (strings) {
            case KEYWORD -> m.put("type", "keyword");
            case TEXT -> m.put("type", "text");
            case TEXT_AND_KEYWORD -> {
                m.put("type", "text");
                m.putObject("fields")
                        .putObject("keyword")
                        .put("type", "keyword")
                        .put("ignore_above", 256);
            }
        }
    }

    /** Writes a value of {@code type} (not null) as the field's JSON value. */
    static void write(JsonGenerator g, DataType type, Object v, Layout layout) {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (type) {
            case DataType.BooleanType b -> g.writeBoolean((Boolean) v);
            case DataType.Int16 i -> g.writeNumber(((Number) v).longValue());
            case DataType.Int32 i -> g.writeNumber(((Number) v).longValue());
            case DataType.Int64 i -> g.writeNumber(((Number) v).longValue());
            case DataType.YearType y -> g.writeNumber(((Number) v).longValue());
            case DataType.UInt64 u -> g.writeNumber((BigInteger) v);
            case DataType.Float32 f -> {
                float x = (Float) v;
                if (Float.isFinite(x)) {
                    g.writeNumber(x);
                } else {
                    g.writeString(Float.toString(x));
                }
            }
            case DataType.Float64 f -> {
                double x = (Double) v;
                if (Double.isFinite(x)) {
                    g.writeNumber(x);
                } else {
                    g.writeString(Double.toString(x));
                }
            }
            case DataType.IntervalType i -> {
                Interval interval = (Interval) v;
                g.writeStartObject();
                g.writeNumberProperty("months", interval.months());
                g.writeNumberProperty("days", interval.days());
                g.writeNumberProperty("micros", interval.micros());
                g.writeEndObject();
            }
            case DataType.DurationType d -> g.writeNumber(micros((Duration) v));
            case DataType.JsonType j -> {
                if (layout.flatJson()) {
                    g.writeRawValue((String) v);
                } else {
                    g.writeString((String) v);
                }
            }
            case DataType.ArrayType a -> {
                g.writeStartArray();
                for (Object element : (List<?>) v) {
                    // More than one dimension: nested lists of the same element type.
                    write(g, element instanceof List<?> ? a : a.element(), element, layout);
                }
                g.writeEndArray();
            }
            case DataType.SetType s -> {
                g.writeStartArray();
                for (Object member : (List<?>) v) {
                    g.writeString((String) member);
                }
                g.writeEndArray();
            }
            case DataType.DecimalType d -> g.writeString(text(type, v));
            case DataType.StringType s -> g.writeString(text(type, v));
            case DataType.BinaryType b -> g.writeString(text(type, v));
            case DataType.DateType d -> g.writeString(text(type, v));
            case DataType.TimeType t -> g.writeString(text(type, v));
            case DataType.TimestampType t -> g.writeString(text(type, v));
            case DataType.TimestampTzType t -> g.writeString(text(type, v));
            case DataType.UuidType u -> g.writeString(text(type, v));
            case DataType.EnumType e -> g.writeString(text(type, v));
            case DataType.BitType b -> g.writeString(text(type, v));
            case DataType.GeometryType gt -> g.writeString(text(type, v));
            case DataType.OtherType o -> g.writeString(text(type, v));
        }
    }

    /**
     * The text of a scalar value as a document holds it (for a key in a document id too): decimals
     * in plain notation with their scale, binary in base64, dates and times in ISO form with six
     * fraction digits, instants at UTC with a {@code Z}.
     */
    static String text(DataType type, Object v) {
        return switch (v) {
            case BigDecimal d -> d.toPlainString();
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case LocalDate d -> d.toString();
            case LocalTime t -> (t.getNano() % 1000 == 0 ? TIME : TIME_NANOS).format(t);
            case LocalDateTime t -> timestamp(t);
            case OffsetDateTime t ->
                    timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + "Z";
            case Duration d -> Long.toString(micros(d));
            default -> v.toString();
        };
    }

    private static String timestamp(LocalDateTime t) {
        return (t.getNano() % 1000 == 0 ? TIMESTAMP : TIMESTAMP_NANOS).format(t);
    }

    private static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    }
}
