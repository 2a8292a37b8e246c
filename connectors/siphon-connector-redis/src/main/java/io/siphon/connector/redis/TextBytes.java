package io.siphon.connector.redis;

import io.siphon.model.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growable byte buffer that values' text forms ({@link RedisValues#text}) are written into as
 * UTF-8, byte for byte the same, reused value after value: numbers, booleans, dates, times,
 * timestamps and UUIDs go in without a {@code String} per value (encoding values to text through
 * {@code String}s was a third of a bulk load's writer time in a profile). Other types go through
 * their text. One per writer thread.
 */
final class TextBytes {

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
    };

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private byte[] bytes = new byte[64];
    private int length;

    /** Empties the buffer. */
    TextBytes clear() {
        length = 0;
        return this;
    }

    int length() {
        return length;
    }

    /** The buffer itself, valid up to {@link #length()}, until the next write. */
    byte[] buffer() {
        return bytes;
    }

    /**
     * What the buffer holds, in {@code reuse} when that has the exact length, else in a new array.
     */
    byte[] copy(byte[] reuse) {
        byte[] out = reuse != null && reuse.length == length ? reuse : new byte[length];
        System.arraycopy(bytes, 0, out, 0, length);
        return out;
    }

    /** What the buffer holds, in a new array. */
    byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    /**
     * Appends the text form of a non-null value, as {@link RedisValues#text} (a binary value as
     * lower-case hex).
     */
    TextBytes text(DataType type, Object value) {
        switch (type) {
            case DataType.BooleanType b -> {
                if (value instanceof Boolean flag) {
                    append(flag ? TRUE : FALSE);
                } else {
                    ascii(RedisValues.text(type, value));
                }
            }
            case DataType.Int16 i -> integer(type, value);
            case DataType.Int32 i -> integer(type, value);
            case DataType.Int64 i -> integer(type, value);
            case DataType.YearType y -> integer(type, value);
            case DataType.DateType d -> {
                if (value instanceof LocalDate date && isFourDigitYear(date.getYear())) {
                    date(date);
                } else {
                    string(RedisValues.text(type, value));
                }
            }
            case DataType.TimeType t -> time((LocalTime) value);
            case DataType.TimestampType t -> {
                LocalDateTime local = (LocalDateTime) value;
                if (isFourDigitYear(local.getYear())) {
                    date(local.toLocalDate());
                    put('T');
                    time(local.toLocalTime());
                } else {
                    string(RedisValues.text(type, value));
                }
            }
            case DataType.TimestampTzType t -> {
                OffsetDateTime instant = (OffsetDateTime) value;
                LocalDateTime utc =
                        instant.getOffset().equals(ZoneOffset.UTC)
                                ? instant.toLocalDateTime()
                                : instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                if (isFourDigitYear(utc.getYear())) {
                    date(utc.toLocalDate());
                    put('T');
                    time(utc.toLocalTime());
                    put('Z');
                } else {
                    string(RedisValues.text(type, value));
                }
            }
            case DataType.UuidType u -> {
                if (value instanceof UUID uuid) {
                    uuid(uuid);
                } else {
                    string(RedisValues.text(type, value));
                }
            }
            case DataType.BinaryType b -> hex((byte[]) value);
            // Their JDK text has no faster equal: floats, big integers.
            case DataType.UInt64 i -> ascii(RedisValues.text(type, value));
            case DataType.DecimalType d -> {
                if (value instanceof BigDecimal big) {
                    decimal(big);
                } else {
                    ascii(RedisValues.text(type, value));
                }
            }
            case DataType.Float32 f -> ascii(RedisValues.text(type, value));
            case DataType.Float64 f -> ascii(RedisValues.text(type, value));
            case DataType.DurationType d -> string(RedisValues.text(type, value));
            case DataType.IntervalType i -> string(RedisValues.text(type, value));
            case DataType.ArrayType a -> string(RedisValues.text(type, value));
            case DataType.SetType s -> string(RedisValues.text(type, value));
            case DataType.StringType s -> string((String) value);
            case DataType.JsonType j -> string((String) value);
            case DataType.EnumType e -> string((String) value);
            case DataType.BitType b -> string((String) value);
            case DataType.GeometryType g -> string((String) value);
            case DataType.OtherType o -> string((String) value);
        }
        return this;
    }

    /** Appends bytes. */
    TextBytes append(byte[] b) {
        return append(b, 0, b.length);
    }

    /** Appends part of an array. */
    TextBytes append(byte[] b, int from, int count) {
        ensure(count);
        System.arraycopy(b, from, bytes, length, count);
        length += count;
        return this;
    }

    /** Appends one ASCII character. */
    TextBytes put(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends a text as UTF-8: ASCII directly, any other text through the JDK's encoder. */
    TextBytes string(String text) {
        int n = text.length();
        ensure(n);
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return append(text.getBytes(StandardCharsets.UTF_8));
            }
            bytes[at++] = (byte) c;
        }
        length = at;
        return this;
    }

    /** Appends bytes as lower-case hex. */
    TextBytes hex(byte[] b) {
        ensure(2 * b.length);
        for (byte x : b) {
            bytes[length++] = HEX[(x >> 4) & 0xf];
            bytes[length++] = HEX[x & 0xf];
        }
        return this;
    }

    private void integer(DataType type, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            decimal(((Number) value).longValue());
        } else {
            ascii(RedisValues.text(type, value));
        }
    }

    /** Appends a text known to be ASCII (the JDK's text of a number). */
    private void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
    }

    /**
     * Appends a decimal as {@link BigDecimal#toPlainString()} writes it; directly when its unscaled
     * value has at most 18 digits and its scale is not negative (numeric columns as they come).
     */
    private void decimal(BigDecimal big) {
        int scale = big.scale();
        if (scale < 0 || scale > 18 || big.precision() > 18) {
            ascii(big.toPlainString());
            return;
        }
        long unscaled = big.unscaledValue().longValue();
        if (unscaled < 0) {
            put('-');
            unscaled = -unscaled;
        }
        if (scale == 0) {
            decimal(unscaled);
            return;
        }
        long unit = POWERS_OF_TEN[scale];
        if (unscaled >= unit) {
            decimal(unscaled / unit);
        } else {
            put('0');
        }
        put('.');
        padded(unscaled % unit, scale);
    }

    /** Appends a long as {@link Long#toString(long)} writes it. */
    private void decimal(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        if (value < 0) {
            put('-');
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        padded(value, digits);
    }

    /** Appends a non-negative number left-padded with zeros to {@code width} digits. */
    private void padded(long value, int width) {
        ensure(width);
        for (int i = length + width - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    private static boolean isFourDigitYear(int year) {
        return year >= 0 && year <= 9999;
    }

    /** {@code yyyy-MM-dd}, as {@link LocalDate#toString()} for the years 0 to 9999. */
    private void date(LocalDate date) {
        padded(date.getYear(), 4);
        put('-');
        padded(date.getMonthValue(), 2);
        put('-');
        padded(date.getDayOfMonth(), 2);
    }

    /**
     * {@code HH:mm:ss} and the fraction without its trailing zeros, as {@link
     * java.time.format.DateTimeFormatter#ISO_LOCAL_TIME} writes it.
     */
    private void time(LocalTime time) {
        padded(time.getHour(), 2);
        put(':');
        padded(time.getMinute(), 2);
        put(':');
        padded(time.getSecond(), 2);
        int nano = time.getNano();
        if (nano > 0) {
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            put('.');
            padded(nano, width);
        }
    }

    /** As {@link UUID#toString()}: lower-case hex in groups of 8, 4, 4, 4 and 12 digits. */
    private void uuid(UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        hexDigits(msb >>> 32, 8);
        put('-');
        hexDigits(msb >>> 16, 4);
        put('-');
        hexDigits(msb, 4);
        put('-');
        hexDigits(lsb >>> 48, 4);
        put('-');
        hexDigits(lsb, 12);
    }

    /** Appends the low {@code digits} hex digits of a number. */
    private void hexDigits(long value, int digits) {
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
