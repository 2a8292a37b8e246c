package io.siphon.connector.kafka;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads back what {@link TableRecords} writes, and what Debezium writes under the same modes: a
 * record value (with or without its schema) into its operation and rows, each value decoded to the
 * Java value of the column's {@link DataType}. Columns are matched by name, so a record written
 * before a column was added reads that column as null, and one written before a type was widened
 * reads into the wider type. A value Debezium marks as not sent ({@code
 * __debezium_unavailable_value}, an unchanged TOASTed value) reads as {@link Unchanged#VALUE}.
 */
public final class RecordDecoder {

    /**
     * One decoded change event.
     *
     * @param op Debezium's operation code ({@code c}, {@code u}, {@code d}, {@code r}, {@code t})
     * @param before the old row, or null
     * @param after the new row, or null
     */
    public record Decoded(String op, Row before, Row after) {}

    private static final byte[] UNAVAILABLE_BYTES =
            ConnectValues.UNAVAILABLE.getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json = JsonMapper.builder().build();
    private final Encoding encoding;

    /** A decoder for records written with these encodings. */
    public RecordDecoder(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The payload of a record: inside {@code {"schema", "payload"}} when it has a schema. */
    private JsonNode payload(byte[] bytes) {
        JsonNode node = json.readTree(bytes);
        return node.has("schema") && node.has("payload") ? node.get("payload") : node;
    }

    /** Decodes a change event in Debezium's envelope. */
    public Decoded envelope(byte[] value, TableSchema table) {
        JsonNode event = payload(value);
        return new Decoded(
                event.get("op").asString(),
                row(event.get("before"), table),
                row(event.get("after"), table));
    }

    /** Decodes a plain row ({@code format: row}). */
    public Row row(byte[] value, TableSchema table) {
        return row(payload(value), table);
    }

    /** Decodes a row struct's payload; null for JSON null. */
    Row row(JsonNode node, TableSchema table) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Column> columns = table.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            Column c = columns.get(i);
            values[i] = value(node.get(c.name()), c.type(), table, c);
        }
        return new Row(values);
    }

    private Object value(JsonNode node, DataType type, TableSchema table, Column column) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (unavailable(node, type)) {
            return Unchanged.VALUE;
        }
        try {
            return decode(node, type);
        } catch (RuntimeException e) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "Column "
                            + column.name()
                            + " of "
                            + table.id()
                            + " holds "
                            + node
                            + ", which is not a "
                            + type
                            + " as this encoding writes it",
                    e);
        }
    }

    private Object decode(JsonNode node, DataType type) {
        return switch (type) {
            case DataType.BooleanType t -> node.asBoolean();
            case DataType.Int16 t -> (short) node.asInt();
            case DataType.Int32 t -> node.asInt();
            case DataType.Int64 t -> node.asLong();
            case DataType.UInt64 t -> {
                Object d = decimal(node, 0);
                yield d instanceof BigDecimal b ? b.toBigIntegerExact() : d;
            }
            case DataType.DecimalType d -> decimal(node, d.scale());
            case DataType.Float32 t -> (float) node.asDouble();
            case DataType.Float64 t -> node.asDouble();
            case DataType.StringType t -> node.asString();
            case DataType.BinaryType t -> node.binaryValue();
            case DataType.DateType t -> LocalDate.ofEpochDay(node.asLong());
            case DataType.TimeType t ->
                    LocalTime.ofNanoOfDay(
                            millisecondTime(t.precision())
                                    ? node.asLong() * 1_000_000L
                                    : node.asLong() * 1_000L);
            case DataType.DurationType t -> Duration.of(node.asLong(), ChronoUnit.MICROS);
            case DataType.YearType t -> (short) node.asInt();
            case DataType.TimestampType t -> timestamp(node.asLong(), t.precision());
            case DataType.TimestampTzType t ->
                    OffsetDateTime.parse(node.asString()).withOffsetSameInstant(ZoneOffset.UTC);
            case DataType.IntervalType t -> new Interval(0, 0, node.asLong());
            case DataType.UuidType t -> UUID.fromString(node.asString());
            case DataType.JsonType t -> node.asString();
            case DataType.ArrayType a -> {
                List<Object> out = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    out.add(element.isNull() ? null : decode(element, a.element()));
                }
                yield out;
            }
            case DataType.EnumType t -> node.asString();
            case DataType.SetType t ->
                    node.asString().isEmpty()
                            ? List.of()
                            : List.copyOf(Arrays.asList(node.asString().split(",")));
            case DataType.BitType b -> bits(node, b);
            case DataType.GeometryType t -> node.asString();
            case DataType.OtherType t -> node.isValueNode() ? node.asString() : node.toString();
        };
    }

    /** Whether the value is Debezium's stand-in for one the source did not send (TOAST). */
    private static boolean unavailable(JsonNode node, DataType type) {
        return switch (type) {
            case DataType.StringType t -> ConnectValues.UNAVAILABLE.equals(node.asString());
            case DataType.JsonType t -> ConnectValues.UNAVAILABLE.equals(node.asString());
            case DataType.OtherType t -> ConnectValues.UNAVAILABLE.equals(node.asString());
            case DataType.BinaryType t ->
                    node.isString() && Arrays.equals(node.binaryValue(), UNAVAILABLE_BYTES);
            default -> false;
        };
    }

    private boolean millisecondTime(int precision) {
        return encoding.times() == Encoding.Times.CONNECT || (precision >= 0 && precision <= 3);
    }

    private Object decimal(JsonNode node, int scale) {
        return switch (encoding.decimals()) {
            case DOUBLE -> node.isNumber() ? BigDecimal.valueOf(node.asDouble()) : node.asDouble();
            case STRING -> new BigDecimal(node.asString());
            case PRECISE ->
                    node.isObject()
                            ? new BigDecimal(
                                    new BigInteger(node.get("value").binaryValue()),
                                    node.get("scale").asInt())
                            : new BigDecimal(new BigInteger(node.binaryValue()), scale);
        };
    }

    private LocalDateTime timestamp(long value, int precision) {
        long micros = millisecondTime(precision) ? value * 1_000L : value;
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1_000,
                ZoneOffset.UTC);
    }

    private static String bits(JsonNode node, DataType.BitType type) {
        if (type.length() == 1 && !type.varying()) {
            return node.asBoolean() ? "1" : "0";
        }
        BitSet bits = BitSet.valueOf(node.binaryValue());
        StringBuilder text = new StringBuilder(type.length());
        for (int i = type.length() - 1; i >= 0; i--) {
            text.append(bits.get(i) ? '1' : '0');
        }
        return text.toString();
    }
}
