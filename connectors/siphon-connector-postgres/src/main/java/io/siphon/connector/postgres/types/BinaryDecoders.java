package io.siphon.connector.postgres.types;

import io.siphon.model.DataType;
import io.siphon.model.DataType.ArrayType;
import io.siphon.model.DataType.BinaryType;
import io.siphon.model.DataType.BitType;
import io.siphon.model.DataType.BooleanType;
import io.siphon.model.DataType.DateType;
import io.siphon.model.DataType.DecimalType;
import io.siphon.model.DataType.DurationType;
import io.siphon.model.DataType.EnumType;
import io.siphon.model.DataType.Float32;
import io.siphon.model.DataType.Float64;
import io.siphon.model.DataType.GeometryType;
import io.siphon.model.DataType.Int16;
import io.siphon.model.DataType.Int32;
import io.siphon.model.DataType.Int64;
import io.siphon.model.DataType.IntervalType;
import io.siphon.model.DataType.JsonType;
import io.siphon.model.DataType.OtherType;
import io.siphon.model.DataType.SetType;
import io.siphon.model.DataType.StringType;
import io.siphon.model.DataType.TimeType;
import io.siphon.model.DataType.TimestampType;
import io.siphon.model.DataType.TimestampTzType;
import io.siphon.model.DataType.UInt64;
import io.siphon.model.DataType.UuidType;
import io.siphon.model.DataType.YearType;
import io.siphon.model.Interval;
import io.siphon.model.TemporalLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Decoders of PostgreSQL's binary format into the Java values of the {@link DataType} table, and
 * the SELECT expression that makes the server send each column in the format its decoder expects.
 *
 * <p>Types whose binary format is not worth decoding ({@link OtherType}: network, geometric,
 * ranges, bit strings, ...) are selected as {@code col::text}, so their binary value is simply
 * UTF-8 text; {@code money} is selected as {@code col::numeric}; composite types as {@code
 * to_json(col)::text}.
 */
public final class BinaryDecoders {

    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01. */
    private static final long PG_EPOCH_DAYS = 10_957;

    /** Seconds from 1970-01-01 to 2000-01-01. */
    private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400;

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);

    private BinaryDecoders() {}

    /**
     * The expression to select a column so that its binary value suits {@link #forType}.
     *
     * @param quotedColumn the column name, already quoted
     */
    public static String selectExpression(String quotedColumn, DataType type) {
        return switch (type) {
            case OtherType o -> quotedColumn + "::text";
            case GeometryType g -> quotedColumn + "::text";
            case BitType b -> quotedColumn + "::text";
            case SetType t -> quotedColumn + "::text[]";
            case DecimalType d -> quotedColumn + "::numeric";
            case UInt64 u -> quotedColumn + "::numeric";
            case JsonType j when !j.binary() -> "to_json(" + quotedColumn + ")::text";
            case ArrayType a ->
                    switch (a.element()) {
                        case OtherType o -> quotedColumn + "::text[]";
                        case GeometryType g -> quotedColumn + "::text[]";
                        case DecimalType d -> quotedColumn + "::numeric[]";
                        default -> quotedColumn;
                    };
            default -> quotedColumn;
        };
    }

    /** The decoder for values of a type, selected with {@link #selectExpression}. */
    public static ValueDecoder forType(DataType type) {
        return switch (type) {
            case BooleanType b -> (buf, off, len) -> buf[off] != 0;
            case Int16 i -> (buf, off, len) -> (short) SHORT.get(buf, off);
            case Int32 i -> (buf, off, len) -> (int) INT.get(buf, off);
            case Int64 i -> (buf, off, len) -> (long) LONG.get(buf, off);
            case UInt64 i ->
                    (buf, off, len) -> ((BigDecimal) numeric(buf, off, len)).toBigIntegerExact();
            case YearType y -> (buf, off, len) -> (short) SHORT.get(buf, off);
            case DecimalType d -> BinaryDecoders::numeric;
            case Float32 f -> (buf, off, len) -> Float.intBitsToFloat((int) INT.get(buf, off));
            case Float64 f -> (buf, off, len) -> Double.longBitsToDouble((long) LONG.get(buf, off));
            case StringType s -> BinaryDecoders::text;
            case BinaryType b -> (buf, off, len) -> Arrays.copyOfRange(buf, off, off + len);
            case DateType d -> BinaryDecoders::date;
            case TimeType t -> BinaryDecoders::time;
            case DurationType t -> (buf, off, len) -> duration(interval(buf, off, len));
            case TimestampType t -> BinaryDecoders::timestamp;
            case TimestampTzType t -> BinaryDecoders::timestampTz;
            case IntervalType i -> BinaryDecoders::interval;
            case UuidType u ->
                    (buf, off, len) ->
                            new UUID((long) LONG.get(buf, off), (long) LONG.get(buf, off + 8));
            case JsonType j -> j.binary() ? BinaryDecoders::jsonb : BinaryDecoders::text;
            case ArrayType a -> arrayOf(forType(a.element()));
            case EnumType e -> BinaryDecoders::text;
            case SetType t -> arrayOf(BinaryDecoders::text);
            case BitType b -> BinaryDecoders::text;
            case GeometryType g -> BinaryDecoders::text;
            case OtherType o -> BinaryDecoders::text;
        };
    }

    static String text(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
    }

    /** jsonb's binary form is a version byte (1) followed by the JSON text. */
    static String jsonb(byte[] buf, int off, int len) {
        return new String(buf, off + 1, len - 1, StandardCharsets.UTF_8);
    }

    static Object numeric(byte[] buf, int off, int len) {
        int ndigits = (short) SHORT.get(buf, off);
        int weight = (short) SHORT.get(buf, off + 2);
        int sign = ((short) SHORT.get(buf, off + 4)) & 0xffff;
        int dscale = ((short) SHORT.get(buf, off + 6)) & 0xffff;
        switch (sign) {
            case NUMERIC_NAN -> {
                return Double.NaN;
            }
            case NUMERIC_PINF -> {
                return Double.POSITIVE_INFINITY;
            }
            case NUMERIC_NINF -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {}
        }
        if (ndigits == 0) {
            return BigDecimal.valueOf(0, dscale);
        }
        // The value is the base-10000 integer of the digits times 10000^(weight - ndigits + 1).
        int scale = -4 * (weight - ndigits + 1);
        int p = off + 8;
        BigDecimal value;
        if (ndigits <= 4) {
            long acc = 0;
            for (int i = 0; i < ndigits; i++, p += 2) {
                acc = acc * 10_000 + (short) SHORT.get(buf, p);
            }
            value = BigDecimal.valueOf(sign == NUMERIC_NEG ? -acc : acc, scale);
        } else {
            BigInteger acc = BigInteger.ZERO;
            int i = 0;
            while (i < ndigits) {
                int group = Math.min(4, ndigits - i);
                long chunk = 0;
                for (int g = 0; g < group; g++, p += 2) {
                    chunk = chunk * 10_000 + (short) SHORT.get(buf, p);
                }
                acc = acc.multiply(NBASE.pow(group)).add(BigInteger.valueOf(chunk));
                i += group;
            }
            value = new BigDecimal(sign == NUMERIC_NEG ? acc.negate() : acc, scale);
        }
        return value.setScale(dscale, RoundingMode.UNNECESSARY);
    }

    static LocalDate date(byte[] buf, int off, int len) {
        int days = (int) INT.get(buf, off);
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(days + PG_EPOCH_DAYS);
    }

    static LocalTime time(byte[] buf, int off, int len) {
        long micros = (long) LONG.get(buf, off);
        return micros >= MICROS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1_000);
    }

    static LocalDateTime timestamp(byte[] buf, int off, int len) {
        long micros = (long) LONG.get(buf, off);
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        long seconds = Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECONDS;
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1_000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    static Object timestampTz(byte[] buf, int off, int len) {
        long micros = (long) LONG.get(buf, off);
        if (micros == Long.MAX_VALUE) {
            return TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY;
        }
        if (micros == Long.MIN_VALUE) {
            return TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY;
        }
        return timestamp(buf, off, len).atOffset(ZoneOffset.UTC);
    }

    /**
     * An interval as an exact duration, days counted as 24 hours.
     *
     * @throws IllegalArgumentException when it has months, whose length is not fixed
     */
    static Duration duration(Interval i) {
        if (i.months() != 0) {
            throw new IllegalArgumentException(
                    "interval of " + i.months() + " months is not an exact duration");
        }
        return Duration.ofDays(i.days()).plus(i.micros(), ChronoUnit.MICROS);
    }

    static Interval interval(byte[] buf, int off, int len) {
        long micros = (long) LONG.get(buf, off);
        int days = (int) INT.get(buf, off + 8);
        int months = (int) INT.get(buf, off + 12);
        return new Interval(months, days, micros);
    }

    /**
     * A decoder of PostgreSQL's binary array format: dimensions, a null flag, the element type,
     * then per dimension its length and lower bound, then each element as length and bytes.
     * Multi-dimensional arrays become nested lists; lower bounds other than 1 are not kept.
     */
    static ValueDecoder arrayOf(ValueDecoder element) {
        return (buf, off, len) -> {
            int ndim = (int) INT.get(buf, off);
            if (ndim == 0) {
                return List.of();
            }
            int[] dims = new int[ndim];
            int p = off + 12;
            for (int d = 0; d < ndim; d++, p += 8) {
                dims[d] = (int) INT.get(buf, p);
            }
            int[] position = {p};
            return readDimension(buf, position, dims, 0, element);
        };
    }

    private static List<Object> readDimension(
            byte[] buf, int[] position, int[] dims, int level, ValueDecoder element) {
        Object[] values = new Object[dims[level]];
        for (int i = 0; i < values.length; i++) {
            if (level + 1 < dims.length) {
                values[i] = readDimension(buf, position, dims, level + 1, element);
            } else {
                int p = position[0];
                int len = (int) INT.get(buf, p);
                p += 4;
                if (len >= 0) {
                    values[i] = element.decode(buf, p, len);
                    p += len;
                }
                position[0] = p;
            }
        }
        return Arrays.asList(values);
    }
}
