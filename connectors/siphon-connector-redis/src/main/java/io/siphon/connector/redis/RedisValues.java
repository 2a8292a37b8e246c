package io.siphon.connector.redis;

import io.siphon.model.DataType;
import io.siphon.model.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One table of how each {@link DataType}'s value is written to Redis and read back, exactly (the
 * connector page lists it). A value has a text form, which a hash field holds as UTF-8 and a JSON
 * document as a string, except where noted:
 *
 * <ul>
 *   <li>booleans {@code true}/{@code false}; integers and decimals in plain decimal notation with
 *       the decimal's scale ({@code 1.5000}); floats the shortest text that reads back to the same
 *       number ({@code 1.5}, {@code 1.0E-5}, {@code NaN}, {@code Infinity}); in JSON booleans and
 *       finite numbers are JSON booleans and numbers
 *   <li>dates, times, timestamps ISO 8601 ({@code 2024-02-29}, {@code 12:34:56.123456}, {@code
 *       2024-03-10T02:30:00.654321}); instants at UTC with {@code Z}; durations ISO 8601 ({@code
 *       PT838H59M59S}); intervals {@code P{months}M{days}DT{seconds}S}
 *   <li>binary: the bytes themselves in a hash, base64 in JSON, lower-case hex in a key
 *   <li>JSON columns: the JSON text in a hash, the JSON value itself in a JSON document
 *   <li>arrays: a JSON array of the elements (as in JSON documents); sets: the members joined with
 *       commas in a hash (MySQL's text form), a JSON array of strings in JSON
 *   <li>everything else (text, UUID, enum label, bit string, geometry, other) its text form
 * </ul>
 */
final class RedisValues {

    /**
     * Keeps decimals exact both ways: read as {@link BigDecimal} with their scale, written in plain
     * notation.
     */
    static final JsonMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Pattern INTERVAL = Pattern.compile("P(-?\\d+)M(-?\\d+)DT(-?[0-9.]+)S");

    private RedisValues() {}

    /** The text form of a non-null value (for a binary value, used in keys: lower-case hex). */
    static String text(DataType type, Object value) {
        return switch (type) {
            case DataType.BooleanType b -> value.toString();
            case DataType.Int16 i -> value.toString();
            case DataType.Int32 i -> value.toString();
            case DataType.Int64 i -> value.toString();
            case DataType.UInt64 i -> value.toString();
            case DataType.YearType y -> value.toString();
            case DataType.DecimalType d ->
                    value instanceof BigDecimal big ? big.toPlainString() : value.toString();
            case DataType.Float32 f -> value.toString();
            case DataType.Float64 f -> value.toString();
            case DataType.DateType d -> value.toString();
            case DataType.TimeType t -> DateTimeFormatter.ISO_LOCAL_TIME.format((LocalTime) value);
            case DataType.TimestampType t -> localDateTime((LocalDateTime) value);
            case DataType.TimestampTzType t -> instant((OffsetDateTime) value);
            case DataType.DurationType d -> value.toString();
            case DataType.IntervalType i -> interval((Interval) value);
            case DataType.BinaryType b -> HexFormat.of().formatHex((byte[]) value);
            case DataType.ArrayType a -> JSON.writeValueAsString(json(type, value));
            case DataType.SetType s -> String.join(",", strings(value));
            case DataType.StringType s -> (String) value;
            case DataType.UuidType u -> value.toString();
            case DataType.JsonType j -> (String) value;
            case DataType.EnumType e -> (String) value;
            case DataType.BitType b -> (String) value;
            case DataType.GeometryType g -> (String) value;
            case DataType.OtherType o -> (String) value;
        };
    }

    /** The value a hash field holds, read back. */
    static Object fromField(DataType type, byte[] field) {
        return type instanceof DataType.BinaryType
                ? field
                : fromText(type, new String(field, StandardCharsets.UTF_8));
    }

    /** The value of a text form. */
    static Object fromText(DataType type, String text) {
        return switch (type) {
            case DataType.BooleanType b -> Boolean.parseBoolean(text);
            case DataType.Int16 i -> Short.parseShort(text);
            case DataType.Int32 i -> Integer.parseInt(text);
            case DataType.Int64 i -> Long.parseLong(text);
            case DataType.UInt64 i -> new BigInteger(text);
            case DataType.YearType y -> Short.parseShort(text);
            case DataType.DecimalType d ->
                    switch (text) {
                        case "NaN", "Infinity", "-Infinity" -> Double.parseDouble(text);
                        default -> new BigDecimal(text);
                    };
            case DataType.Float32 f -> Float.parseFloat(text);
            case DataType.Float64 f -> Double.parseDouble(text);
            case DataType.DateType d -> LocalDate.parse(text);
            case DataType.TimeType t -> LocalTime.parse(text);
            case DataType.TimestampType t -> LocalDateTime.parse(text);
            case DataType.TimestampTzType t ->
                    OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
            case DataType.DurationType d -> Duration.parse(text);
            case DataType.IntervalType i -> interval(text);
            case DataType.BinaryType b -> HexFormat.of().parseHex(text);
            case DataType.ArrayType a -> fromJson(type, JSON.readTree(text));
            case DataType.SetType s ->
                    text.isEmpty() ? List.of() : List.copyOf(Arrays.asList(text.split(",")));
            case DataType.UuidType u -> UUID.fromString(text);
            case DataType.StringType s -> text;
            case DataType.JsonType j -> text;
            case DataType.EnumType e -> text;
            case DataType.BitType b -> text;
            case DataType.GeometryType g -> text;
            case DataType.OtherType o -> text;
        };
    }

    /** The JSON value of a value (null for SQL NULL) in a JSON document. */
    static JsonNode json(DataType type, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (type) {
            case DataType.BooleanType b -> NODES.booleanNode((Boolean) value);
            case DataType.Int16 i -> NODES.numberNode((Short) value);
            case DataType.Int32 i -> NODES.numberNode((Integer) value);
            case DataType.Int64 i -> NODES.numberNode((Long) value);
            case DataType.UInt64 i -> NODES.numberNode((BigInteger) value);
            case DataType.YearType y -> NODES.numberNode((Short) value);
            case DataType.DecimalType d ->
                    value instanceof BigDecimal big
                            ? NODES.numberNode(big)
                            : NODES.stringNode(value.toString());
            case DataType.Float32 f ->
                    Float.isFinite((Float) value)
                            ? NODES.numberNode(new BigDecimal(value.toString()))
                            : NODES.stringNode(value.toString());
            case DataType.Float64 f ->
                    Double.isFinite((Double) value)
                            ? NODES.numberNode(new BigDecimal(value.toString()))
                            : NODES.stringNode(value.toString());
            case DataType.BinaryType b ->
                    NODES.stringNode(Base64.getEncoder().encodeToString((byte[]) value));
            case DataType.JsonType j -> JSON.readTree((String) value);
            case DataType.ArrayType a -> {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (List<?>) value) {
                    // A multi-dimensional array holds lists of the same element type.
                    array.add(
                            element instanceof List<?> && !(a.element() instanceof DataType.SetType)
                                    ? json(a, element)
                                    : json(a.element(), element));
                }
                yield array;
            }
            case DataType.SetType s -> {
                ArrayNode array = NODES.arrayNode();
                strings(value).forEach(array::add);
                yield array;
            }
            case DataType.StringType s -> NODES.stringNode(text(type, value));
            case DataType.DateType d -> NODES.stringNode(text(type, value));
            case DataType.TimeType t -> NODES.stringNode(text(type, value));
            case DataType.TimestampType t -> NODES.stringNode(text(type, value));
            case DataType.TimestampTzType t -> NODES.stringNode(text(type, value));
            case DataType.DurationType d -> NODES.stringNode(text(type, value));
            case DataType.IntervalType i -> NODES.stringNode(text(type, value));
            case DataType.UuidType u -> NODES.stringNode(text(type, value));
            case DataType.EnumType e -> NODES.stringNode(text(type, value));
            case DataType.BitType b -> NODES.stringNode(text(type, value));
            case DataType.GeometryType g -> NODES.stringNode(text(type, value));
            case DataType.OtherType o -> NODES.stringNode(text(type, value));
        };
    }

    /** The value of a JSON value in a document (null for JSON null). */
    static Object fromJson(DataType type, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return switch (type) {
            case DataType.BinaryType b -> Base64.getDecoder().decode(node.stringValue());
            case DataType.JsonType j -> JSON.writeValueAsString(node);
            case DataType.ArrayType a -> {
                List<Object> elements = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    // An inner array is a dimension, unless the elements are JSON or sets.
                    boolean dimension =
                            element.isArray()
                                    && !(a.element() instanceof DataType.JsonType)
                                    && !(a.element() instanceof DataType.SetType);
                    elements.add(dimension ? fromJson(a, element) : fromJson(a.element(), element));
                }
                yield elements;
            }
            case DataType.SetType s -> {
                List<Object> members = new ArrayList<>(node.size());
                for (JsonNode member : node) {
                    members.add(member.stringValue());
                }
                yield List.copyOf(members);
            }
            default ->
                    fromText(
                            type,
                            node.isNumber()
                                    ? node.decimalValue().toPlainString()
                                    : node.isBoolean()
                                            ? String.valueOf(node.booleanValue())
                                            : node.stringValue());
        };
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object member : (List<?>) value) {
            out.add((String) member);
        }
        return out;
    }

    /**
     * {@link DateTimeFormatter#ISO_LOCAL_DATE_TIME}'s text, written directly for the years 0 to
     * 9999 (the formatter's general machinery was a tenth of a bulk load's time in a profile).
     */
    static String localDateTime(LocalDateTime t) {
        return isoText(t, false);
    }

    /**
     * {@code INSTANT}'s text (ISO 8601 at UTC, with {@code Z}), written as {@link #localDateTime}.
     */
    static String instant(OffsetDateTime t) {
        return isoText(
                t.getOffset().equals(ZoneOffset.UTC)
                        ? t.toLocalDateTime()
                        : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(),
                true);
    }

    private static String isoText(LocalDateTime t, boolean utc) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return utc
                    ? INSTANT.format(t.atOffset(ZoneOffset.UTC))
                    : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        StringBuilder b = new StringBuilder(utc ? 28 : 27);
        digits(b, year, 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano > 0) {
            // As the formatter: the fraction without its trailing zeros.
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            digits(b.append('.'), nano, width);
        }
        if (utc) {
            b.append('Z');
        }
        return b.toString();
    }

    /** Appends a non-negative number left-padded with zeros to {@code width} digits. */
    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(text);
    }

    private static String interval(Interval interval) {
        return "P"
                + interval.months()
                + "M"
                + interval.days()
                + "DT"
                + BigDecimal.valueOf(interval.micros(), 6).stripTrailingZeros().toPlainString()
                + "S";
    }

    private static Interval interval(String text) {
        Matcher m = INTERVAL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an interval: " + text);
        }
        return new Interval(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                new BigDecimal(m.group(3)).movePointRight(6).longValueExact());
    }
}
