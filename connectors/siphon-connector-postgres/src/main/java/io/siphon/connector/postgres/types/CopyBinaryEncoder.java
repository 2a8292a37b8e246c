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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Writes Java values (per the {@link DataType} table) in PostgreSQL's binary format, for {@code
 * COPY ... FROM STDIN (FORMAT binary)}: the exact inverse of {@link BinaryDecoders}.
 *
 * <p>Binary input must match the target column's type exactly (an {@code int4} column does not
 * accept eight bytes), so an encoder is chosen for a pair: the value's {@link DataType} and the
 * target column's type OID. {@link #forColumn} returns null where there is no exact encoding, and
 * the caller then writes the whole table in text format. Built-in types only: domains, enums,
 * composites and every {@link OtherType} stay in text, and so does {@code name}, whose binary input
 * rejects long values that its text input truncates.
 *
 * <p>Special values as in {@link CopyTextEncoder}: {@code NaN}/{@code ±Infinity} numerics (given as
 * {@link Double}), {@link TemporalLimits} values as infinities, {@link LocalTime#MAX} as {@code
 * 24:00:00}. Times finer than a microsecond are rounded to the nearest (half to even), as
 * PostgreSQL does with such text input.
 */
public final class CopyBinaryEncoder {

    /** Writes one non-null value as a field: its 4-byte length, then its bytes. */
    @FunctionalInterface
    public interface FieldEncoder {

        /**
         * @throws ClassCastException when the value is not the Java type of the column's type
         */
        void write(CopyBinaryBuffer out, Object value);
    }

    // Built-in type OIDs (pg_type.dat); stable across PostgreSQL versions.
    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int INTERVAL = 1186;
    static final int BIT = 1560;
    static final int VARBIT = 1562;
    static final int NUMERIC = 1700;
    static final int UUID_OID = 2950;
    static final int JSONB = 3802;

    /** Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01. */
    private static final long PG_EPOCH_DAYS = 10_957;

    private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;

    /** Unscaled values below this are encoded with long arithmetic (room for 10^3 of padding). */
    private static final long LONG_PATH_LIMIT = 1_000_000_000_000_000L / 1_000;

    private static final long[] POW10 = {1, 10, 100, 1000};

    private CopyBinaryEncoder() {}

    /**
     * The encoder that writes values of {@code type} into a target column of type {@code
     * targetOid}, or null when there is no exact binary encoding for that pair.
     *
     * @param targetOid the target column's type ({@code pg_attribute.atttypid})
     * @param targetElementOid for array columns the element type ({@code pg_type.typelem}), else 0
     */
    public static FieldEncoder forColumn(DataType type, long targetOid, long targetElementOid) {
        if (type instanceof ArrayType a) {
            if (targetElementOid == 0 || a.element() instanceof ArrayType) {
                return null;
            }
            FieldEncoder element = scalar(a.element(), targetElementOid);
            return element == null ? null : arrayOf(element, (int) targetElementOid);
        }
        if (type instanceof SetType) {
            // A set's members go into a text[] column like an array of text.
            return targetElementOid == TEXT ? arrayOf(CopyBinaryEncoder::text, TEXT) : null;
        }
        return scalar(type, targetOid);
    }

    private static FieldEncoder scalar(DataType type, long oid) {
        return switch (type) {
            case BooleanType b -> oid == BOOL ? CopyBinaryEncoder::bool : null;
            case Int16 i -> oid == INT2 ? CopyBinaryEncoder::int2 : null;
            case Int32 i -> oid == INT4 ? CopyBinaryEncoder::int4 : null;
            case Int64 i -> oid == INT8 ? CopyBinaryEncoder::int8 : null;
            case UInt64 i -> oid == NUMERIC ? CopyBinaryEncoder::unsigned : null;
            case YearType y -> oid == INT2 ? CopyBinaryEncoder::int2 : null;
            case DecimalType d -> oid == NUMERIC ? CopyBinaryEncoder::numeric : null;
            case Float32 f -> oid == FLOAT4 ? CopyBinaryEncoder::float4 : null;
            case Float64 f -> oid == FLOAT8 ? CopyBinaryEncoder::float8 : null;
            case StringType s ->
                    oid == TEXT || oid == VARCHAR || oid == BPCHAR ? CopyBinaryEncoder::text : null;
            case BinaryType b -> oid == BYTEA ? CopyBinaryEncoder::bytea : null;
            case DateType d -> oid == DATE ? CopyBinaryEncoder::date : null;
            case TimeType t -> oid == TIME ? CopyBinaryEncoder::time : null;
            case DurationType t -> oid == INTERVAL ? CopyBinaryEncoder::duration : null;
            case TimestampType t -> oid == TIMESTAMP ? CopyBinaryEncoder::timestamp : null;
            case TimestampTzType t -> oid == TIMESTAMPTZ ? CopyBinaryEncoder::timestampTz : null;
            case IntervalType i -> oid == INTERVAL ? CopyBinaryEncoder::interval : null;
            case UuidType u -> oid == UUID_OID ? CopyBinaryEncoder::uuid : null;
            case JsonType j ->
                    oid == JSON
                            ? CopyBinaryEncoder::text
                            : oid == JSONB ? CopyBinaryEncoder::jsonb : null;
            case ArrayType a -> null;
            case EnumType e -> null;
            case SetType t -> null; // handled by forColumn
            case BitType b -> oid == BIT || oid == VARBIT ? CopyBinaryEncoder::bits : null;
            case GeometryType g -> null;
            case OtherType o -> null;
        };
    }

    static void bool(CopyBinaryBuffer out, Object value) {
        boolean v = (Boolean) value;
        out.putInt(1);
        out.putByte(v ? 1 : 0);
    }

    static void int2(CopyBinaryBuffer out, Object value) {
        long v = ((Number) value).longValue();
        if ((short) v != v) {
            // Text input would fail the same way; binary would silently wrap.
            throw new ArithmeticException("value out of range for smallint");
        }
        out.putInt(2);
        out.putShort((short) v);
    }

    static void int4(CopyBinaryBuffer out, Object value) {
        long v = ((Number) value).longValue();
        if ((int) v != v) {
            throw new ArithmeticException("value out of range for integer");
        }
        out.putInt(4);
        out.putInt((int) v);
    }

    static void int8(CopyBinaryBuffer out, Object value) {
        out.putInt(8);
        out.putLong(((Number) value).longValue());
    }

    static void float4(CopyBinaryBuffer out, Object value) {
        out.putInt(4);
        // floatToIntBits: one NaN, the one PostgreSQL's own input gives.
        out.putInt(Float.floatToIntBits(((Number) value).floatValue()));
    }

    static void float8(CopyBinaryBuffer out, Object value) {
        out.putInt(8);
        out.putLong(Double.doubleToLongBits(((Number) value).doubleValue()));
    }

    /** text, varchar, bpchar and json: the UTF-8 bytes (the server converts and checks them). */
    static void text(CopyBinaryBuffer out, Object value) {
        byte[] bytes = CopyTextEncoder.text(value).getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length);
        out.putBytes(bytes, 0, bytes.length);
    }

    /** jsonb: the version byte 1, then the JSON text. */
    static void jsonb(CopyBinaryBuffer out, Object value) {
        byte[] bytes = CopyTextEncoder.text(value).getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length + 1);
        out.putByte(1);
        out.putBytes(bytes, 0, bytes.length);
    }

    static void bytea(CopyBinaryBuffer out, Object value) {
        byte[] bytes = (byte[]) value;
        out.putInt(bytes.length);
        out.putBytes(bytes, 0, bytes.length);
    }

    static void uuid(CopyBinaryBuffer out, Object value) {
        UUID u = (UUID) value;
        out.putInt(16);
        out.putLong(u.getMostSignificantBits());
        out.putLong(u.getLeastSignificantBits());
    }

    static void date(CopyBinaryBuffer out, Object value) {
        LocalDate d = (LocalDate) value;
        out.putInt(4);
        if (d.equals(LocalDate.MAX)) {
            out.putInt(Integer.MAX_VALUE);
        } else if (d.equals(LocalDate.MIN)) {
            out.putInt(Integer.MIN_VALUE);
        } else {
            out.putInt(Math.toIntExact(d.toEpochDay() - PG_EPOCH_DAYS));
        }
    }

    static void time(CopyBinaryBuffer out, Object value) {
        LocalTime t = (LocalTime) value;
        out.putInt(8);
        out.putLong(t.equals(LocalTime.MAX) ? MICROS_PER_DAY : roundToMicros(0, t.toNanoOfDay()));
    }

    static void timestamp(CopyBinaryBuffer out, Object value) {
        LocalDateTime ts = (LocalDateTime) value;
        out.putInt(8);
        if (ts.equals(LocalDateTime.MAX)) {
            out.putLong(Long.MAX_VALUE);
        } else if (ts.equals(LocalDateTime.MIN)) {
            out.putLong(Long.MIN_VALUE);
        } else {
            long seconds =
                    ts.toLocalDate().toEpochDay() * 86_400 + ts.toLocalTime().toSecondOfDay();
            out.putLong(roundToMicros(seconds - PG_EPOCH_SECONDS, ts.getNano()));
        }
    }

    static void timestampTz(CopyBinaryBuffer out, Object value) {
        OffsetDateTime ts = (OffsetDateTime) value;
        out.putInt(8);
        if (ts.isEqual(TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY)) {
            out.putLong(Long.MAX_VALUE);
        } else if (ts.isEqual(TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY)) {
            out.putLong(Long.MIN_VALUE);
        } else {
            out.putLong(roundToMicros(ts.toEpochSecond() - PG_EPOCH_SECONDS, ts.getNano()));
        }
    }

    /**
     * Seconds and nanoseconds as microseconds, sub-microsecond parts rounded half to even.
     *
     * @throws ArithmeticException beyond the range of a timestamp (and far beyond PostgreSQL's)
     */
    private static long roundToMicros(long seconds, long nanos) {
        long micros = nanos / 1_000;
        long rest = nanos % 1_000;
        if (rest > 500 || (rest == 500 && (micros & 1) == 1)) {
            micros++;
        }
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
    }

    /** A duration as an interval of no months and no days. */
    static void duration(CopyBinaryBuffer out, Object value) {
        Duration d = (Duration) value;
        if (d.toNanosPart() % 1_000 != 0) {
            throw new ArithmeticException(d + " has a fraction finer than a microsecond");
        }
        out.putInt(16);
        out.putLong(
                Math.addExact(
                        Math.multiplyExact(d.toSeconds(), 1_000_000L), d.toNanosPart() / 1_000));
        out.putInt(0);
        out.putInt(0);
    }

    /** An unsigned 64-bit integer as a numeric, checked for range. */
    static void unsigned(CopyBinaryBuffer out, Object value) {
        numeric(out, new BigDecimal(new BigInteger(CopyTextEncoder.unsigned(value))));
    }

    /** bit and varbit: the number of bits, then the bits packed most significant first. */
    static void bits(CopyBinaryBuffer out, Object value) {
        String s = CopyTextEncoder.bits(value);
        int n = s.length();
        byte[] packed = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == '1') {
                packed[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        out.putInt(4 + packed.length);
        out.putInt(n);
        out.putBytes(packed, 0, packed.length);
    }

    static void interval(CopyBinaryBuffer out, Object value) {
        Interval i = (Interval) value;
        out.putInt(16);
        out.putLong(i.micros());
        out.putInt(i.days());
        out.putInt(i.months());
    }

    /** A BigDecimal, or NaN/±Infinity as a Double; whole numbers are accepted too. */
    static void numeric(CopyBinaryBuffer out, Object value) {
        BigDecimal d;
        switch (value) {
            case BigDecimal b -> d = b;
            case Double v when v.isNaN() -> {
                numericSpecial(out, NUMERIC_NAN);
                return;
            }
            case Double v when v.isInfinite() -> {
                numericSpecial(out, v > 0 ? NUMERIC_PINF : NUMERIC_NINF);
                return;
            }
            case Float v when v.isNaN() -> {
                numericSpecial(out, NUMERIC_NAN);
                return;
            }
            case Float v when v.isInfinite() -> {
                numericSpecial(out, v > 0 ? NUMERIC_PINF : NUMERIC_NINF);
                return;
            }
            case BigInteger b -> d = new BigDecimal(b);
            case Long l -> d = BigDecimal.valueOf(l);
            case Integer i -> d = BigDecimal.valueOf(i);
            case Short s -> d = BigDecimal.valueOf(s);
            case Byte b -> d = BigDecimal.valueOf(b);
            // Same as the text path, which sends toString() (for example 1.0E10).
            default -> d = new BigDecimal(((Number) value).toString());
        }
        numeric(out, d);
    }

    private static void numericSpecial(CopyBinaryBuffer out, int sign) {
        out.putInt(8);
        out.putShort(0);
        out.putShort(0);
        out.putShort(sign);
        out.putShort(0);
    }

    /**
     * PostgreSQL's numeric: ndigits, weight, sign and display scale as 16-bit words, then the
     * base-10000 digits, most significant first, with the decimal point between two digits; the
     * value is {@code digits × 10000^(weight - ndigits + 1)}. Trailing zero digits are left out.
     */
    static void numeric(CopyBinaryBuffer out, BigDecimal d) {
        int scale = d.scale();
        int sign = d.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS;
        if (scale < 0) {
            d = d.setScale(0);
            scale = 0;
        }
        int dscale = scale;
        if (d.signum() == 0) {
            out.putInt(8);
            out.putShort(0);
            out.putShort(0);
            out.putShort(NUMERIC_POS);
            out.putShort(dscale);
            return;
        }
        // Pad the fraction to whole base-10000 digits.
        int pad = (4 - scale % 4) % 4;
        int fractionDigits = (scale + pad) / 4;
        BigInteger unscaled = d.unscaledValue().abs();
        if (unscaled.bitLength() < 63 && unscaled.longValue() < LONG_PATH_LIMIT) {
            long n = unscaled.longValue() * POW10[pad];
            // At most five base-10000 digits below 10^19; collected least significant first.
            short[] groups = new short[5];
            int count = 0;
            while (n != 0) {
                groups[count++] = (short) (n % 10_000);
                n /= 10_000;
            }
            writeNumeric(out, groups, count, count - 1 - fractionDigits, sign, dscale);
        } else {
            String digits = unscaled.toString();
            if (pad > 0) {
                digits = digits + "000".substring(0, pad);
            }
            int count = (digits.length() + 3) / 4;
            short[] groups = new short[count];
            int end = digits.length();
            for (int g = 0; g < count; g++) {
                int start = Math.max(0, end - 4);
                groups[g] = (short) Integer.parseInt(digits, start, end, 10);
                end = start;
            }
            writeNumeric(out, groups, count, count - 1 - fractionDigits, sign, dscale);
        }
    }

    /** Writes digits given least significant first, leaving out trailing (low) zero digits. */
    private static void writeNumeric(
            CopyBinaryBuffer out, short[] groups, int count, int weight, int sign, int dscale) {
        int low = 0;
        while (groups[low] == 0) {
            low++;
        }
        int ndigits = count - low;
        out.putInt(8 + 2 * ndigits);
        out.putShort(ndigits);
        out.putShort(weight);
        out.putShort(sign);
        out.putShort(dscale);
        for (int g = count - 1; g >= low; g--) {
            out.putShort(groups[g]);
        }
    }

    /**
     * An encoder of PostgreSQL's binary array format: dimensions, a null flag, the element type,
     * then per dimension its length and lower bound (1), then each element as length and bytes.
     * Values are lists, nested for more dimensions; they must be rectangular.
     */
    static FieldEncoder arrayOf(FieldEncoder element, int elementOid) {
        return (out, value) -> {
            List<?> list = (List<?>) value;
            int lengthAt = out.startField();
            int ndim = 0;
            Object level = list;
            while (level instanceof List<?> l) {
                ndim++;
                if (l.isEmpty()) {
                    break;
                }
                level = l.get(0);
            }
            if (list.isEmpty()) {
                out.putInt(0);
                out.putInt(0);
                out.putInt(elementOid);
                out.endField(lengthAt);
                return;
            }
            out.putInt(ndim);
            int hasNullAt = out.size();
            out.putInt(0);
            out.putInt(elementOid);
            int[] dims = new int[ndim];
            level = list;
            for (int d = 0; d < ndim; d++) {
                List<?> l = (List<?>) level;
                dims[d] = l.size();
                out.putInt(l.size());
                out.putInt(1);
                level = l.isEmpty() ? null : l.get(0);
            }
            if (writeElements(out, list, dims, 0, element)) {
                out.setInt(hasNullAt, 1);
            }
            out.endField(lengthAt);
        };
    }

    /** Writes the elements of one level; returns whether any was null. */
    private static boolean writeElements(
            CopyBinaryBuffer out, List<?> list, int[] dims, int level, FieldEncoder element) {
        if (list.size() != dims[level]) {
            throw new IllegalArgumentException(
                    "a multi-dimensional array must be rectangular: a sub-array has "
                            + list.size()
                            + " elements where the first has "
                            + dims[level]);
        }
        boolean anyNull = false;
        for (Object v : list) {
            if (level + 1 < dims.length) {
                if (!(v instanceof List<?> inner)) {
                    throw new IllegalArgumentException(
                            "a multi-dimensional array must be rectangular: an element of level "
                                    + (level + 1)
                                    + " is not an array");
                }
                anyNull |= writeElements(out, inner, dims, level + 1, element);
            } else if (v == null) {
                out.nullField();
                anyNull = true;
            } else {
                element.write(out, v);
            }
        }
        return anyNull;
    }
}
