package io.siphon.connector.kafka;

import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.Unchanged;
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
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;

/**
 * Writes column values as {@code JsonConverter} writes the values Debezium puts in its structs, for
 * the schemas {@link ConnectSchemas} writes: dates as days since the epoch, times and timestamps in
 * milliseconds or microseconds by precision, instants as ISO-8601 text at UTC, decimals as the
 * unscaled value's bytes (base64), intervals as microseconds with Debezium's average month.
 */
final class ConnectValues {

    /** What Debezium writes for a value the source did not send (an unchanged TOASTed value). */
    static final String UNAVAILABLE = "__debezium_unavailable_value";

    /** Debezium's days per month when an interval becomes microseconds. */
    private static final double DAYS_PER_MONTH = 365.25 / 12.0;

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final Encoding encoding;

    ConnectValues(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Writes one value of a column of this type; null as JSON null. */
    void write(JsonGenerator g, DataType type, Object value) {
        if (value == null) {
            g.writeNull();
            return;
        }
        if (value == Unchanged.VALUE) {
            unavailable(g, type);
            return;
        }
        switch (type) {
            case DataType.BooleanType t -> g.writeBoolean((Boolean) value);
            case DataType.Int16 t -> g.writeNumber((Short) value);
            case DataType.Int32 t -> g.writeNumber((Integer) value);
            case DataType.Int64 t -> g.writeNumber((Long) value);
            case DataType.UInt64 t -> decimal(g, new BigDecimal((BigInteger) value), 0);
            case DataType.DecimalType d -> decimal(g, value, d.precision());
            case DataType.Float32 t -> g.writeNumber((Float) value);
            case DataType.Float64 t -> g.writeNumber((Double) value);
            case DataType.StringType t -> g.writeString((String) value);
            case DataType.BinaryType t -> g.writeBinary((byte[]) value);
            case DataType.DateType t -> date(g, (LocalDate) value);
            case DataType.TimeType t -> time(g, (LocalTime) value, t.precision());
            case DataType.DurationType t -> g.writeNumber(micros((Duration) value));
            case DataType.YearType t -> g.writeNumber(((Short) value).intValue());
            case DataType.TimestampType t -> timestamp(g, (LocalDateTime) value, t.precision());
            case DataType.TimestampTzType t -> g.writeString(zoned((OffsetDateTime) value));
            case DataType.IntervalType t -> g.writeNumber(intervalMicros((Interval) value));
            case DataType.UuidType t -> g.writeString(((UUID) value).toString());
            case DataType.JsonType t -> g.writeString((String) value);
            case DataType.ArrayType a -> {
                g.writeStartArray();
                for (Object element : (List<?>) value) {
                    write(g, a.element(), element);
                }
                g.writeEndArray();
            }
            case DataType.EnumType t -> g.writeString((String) value);
            case DataType.SetType t -> g.writeString(String.join(",", (List<String>) value));
            case DataType.BitType b -> bits(g, (String) value, b);
            case DataType.GeometryType t -> g.writeString((String) value);
            case DataType.OtherType t -> g.writeString(value.toString());
        }
    }

    /**
     * What a NOT NULL column holds in a delete's key-only old row: Debezium fills such columns with
     * the type's zero (0, empty text, false) since its schema does not allow null there.
     */
    void writeZero(JsonGenerator g, DataType type) {
        switch (type) {
            case DataType.BooleanType t -> g.writeBoolean(false);
            case DataType.Int16 t -> g.writeNumber((short) 0);
            case DataType.Int32 t -> g.writeNumber(0);
            case DataType.Int64 t -> g.writeNumber(0L);
            case DataType.UInt64 t -> decimal(g, BigDecimal.ZERO, 0);
            case DataType.DecimalType d -> decimal(g, BigDecimal.ZERO, d.precision());
            case DataType.Float32 t -> g.writeNumber(0f);
            case DataType.Float64 t -> g.writeNumber(0d);
            case DataType.BinaryType t -> g.writeBinary(new byte[0]);
            case DataType.DateType t -> g.writeNumber(0);
            case DataType.TimeType t -> time(g, LocalTime.MIDNIGHT, t.precision());
            case DataType.DurationType t -> g.writeNumber(0L);
            case DataType.YearType t -> g.writeNumber(0);
            case DataType.TimestampType t ->
                    timestamp(g, LocalDateTime.of(1970, 1, 1, 0, 0), t.precision());
            case DataType.IntervalType t -> g.writeNumber(0L);
            case DataType.ArrayType t -> {
                g.writeStartArray();
                g.writeEndArray();
            }
            case DataType.BitType b -> bits(g, "0".repeat(Math.max(b.length(), 1)), b);
            case DataType.StringType t -> g.writeString("");
            case DataType.TimestampTzType t ->
                    g.writeString(zoned(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
            case DataType.UuidType t -> g.writeString(new UUID(0, 0).toString());
            case DataType.JsonType t -> g.writeString("");
            case DataType.EnumType t -> g.writeString("");
            case DataType.SetType t -> g.writeString("");
            case DataType.GeometryType t -> g.writeString("");
            case DataType.OtherType t -> g.writeString("");
        }
    }

    private void unavailable(JsonGenerator g, DataType type) {
        switch (type) {
            case DataType.BinaryType t ->
                    g.writeBinary(UNAVAILABLE.getBytes(StandardCharsets.UTF_8));
            case DataType.StringType t -> g.writeString(UNAVAILABLE);
            case DataType.JsonType t -> g.writeString(UNAVAILABLE);
            case DataType.OtherType t -> g.writeString(UNAVAILABLE);
            default -> g.writeNull();
        }
    }

    private void decimal(JsonGenerator g, Object value, int precision) {
        if (!(value instanceof BigDecimal d)) {
            // NaN and ±Infinity: Kafka Connect's Decimal has no such values.
            switch (encoding.decimals()) {
                case DOUBLE -> g.writeNumber((Double) value);
                case STRING -> g.writeString(value.toString());
                case PRECISE -> g.writeNull();
            }
            return;
        }
        switch (encoding.decimals()) {
            case DOUBLE -> g.writeNumber(d.doubleValue());
            case STRING -> g.writeString(d.toPlainString());
            case PRECISE -> {
                if (precision == DataType.UNBOUNDED) {
                    g.writeStartObject();
                    g.writeNumberProperty("scale", d.scale());
                    g.writeName("value");
                    g.writeBinary(d.unscaledValue().toByteArray());
                    g.writeEndObject();
                } else {
                    g.writeBinary(d.unscaledValue().toByteArray());
                }
            }
        }
    }

    private void date(JsonGenerator g, LocalDate date) {
        g.writeNumber((int) date.toEpochDay());
    }

    private void time(JsonGenerator g, LocalTime time, int precision) {
        long micros = time.toNanoOfDay() / 1_000;
        if (encoding.times() == Encoding.Times.CONNECT || (precision >= 0 && precision <= 3)) {
            g.writeNumber((int) (micros / 1_000));
        } else {
            g.writeNumber(micros);
        }
    }

    private void timestamp(JsonGenerator g, LocalDateTime value, int precision) {
        var instant = value.toInstant(ZoneOffset.UTC);
        if (encoding.times() == Encoding.Times.CONNECT || (precision >= 0 && precision <= 3)) {
            g.writeNumber(instant.toEpochMilli());
        } else {
            g.writeNumber(
                    Math.addExact(
                            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                            instant.getNano() / 1_000));
        }
    }

    /** ISO-8601 at UTC, as Debezium's {@code ZonedTimestamp}. */
    static String zoned(OffsetDateTime value) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                value.withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
    }

    /** Microseconds of an interval, a month counted as Debezium counts it (365.25 / 12 days). */
    static long intervalMicros(Interval i) {
        double monthDays = i.months() * DAYS_PER_MONTH;
        return Math.round(monthDays * MICROS_PER_DAY) + i.days() * MICROS_PER_DAY + i.micros();
    }

    /** Bits as Debezium's {@code Bits}: little-endian bytes, bit 0 the last character. */
    private static void bits(JsonGenerator g, String text, DataType.BitType type) {
        if (type.length() == 1 && !type.varying()) {
            g.writeBoolean(text.charAt(0) == '1');
            return;
        }
        BitSet bits = new BitSet(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(text.length() - 1 - i) == '1') {
                bits.set(i);
            }
        }
        byte[] bytes = bits.toByteArray();
        int length = (type.length() + 7) / 8;
        g.writeBinary(bytes.length >= length ? bytes : Arrays.copyOf(bytes, length));
    }
}
