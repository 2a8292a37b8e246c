package io.siphon.connector.mysql.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Decodes the date and time cells of binlog rows exactly, instead of the client library's {@code
 * java.util.Date}s (which pass through the JVM's zone, drop microseconds, and cannot hold a zero
 * date or a negative or long {@code TIME}).
 *
 * <p>Raw values: {@code DATE} a {@link LocalDate}, {@code DATETIME} a {@link LocalDateTime} (the
 * wall clock as written, never shifted), {@code TIMESTAMP} an {@link Instant} (the binlog holds
 * seconds since the epoch in UTC, whatever the server's {@code time_zone}), {@code TIME} a signed
 * {@link Duration} (MySQL's range is −838:59:59 to 838:59:59), {@code YEAR} an {@link Integer} (0
 * for {@code 0000}); a date with a zero part ({@code 0000-00-00}, {@code 2024-00-10}) is a {@link
 * ZeroDate} holding its text. Formats follow the server's {@code my_time.cc} ({@code
 * my_datetime_packed_from_binary} and siblings).
 */
final class BinlogTemporal {

    private static final long DATETIMEF_INT_OFS = 0x8000000000L;
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;

    private BinlogTemporal() {}

    /**
     * A date, or date and time, with a zero year, month or day, which MySQL accepts unless its
     * {@code sql_mode} has {@code NO_ZERO_DATE}/{@code NO_ZERO_IN_DATE}.
     *
     * @param text the value as MySQL prints it, for example {@code 0000-00-00 00:00:00}
     */
    record ZeroDate(String text) implements Serializable {}

    /** {@code DATE}: 3 bytes little-endian, day in 5 bits, month in 4, year above. */
    static Serializable date(ByteArrayInputStream in) throws IOException {
        int value = in.readInteger(3);
        int day = value & 31;
        int month = (value >>> 5) & 15;
        int year = value >>> 9;
        if (year == 0 || month == 0 || day == 0) {
            return new ZeroDate(String.format("%04d-%02d-%02d", year, month, day));
        }
        return LocalDate.of(year, month, day);
    }

    /** {@code DATETIME(n)} in the MySQL 5.6 format: 5 bytes big-endian and the fraction. */
    static Serializable datetime2(int meta, ByteArrayInputStream in) throws IOException {
        long packed = bigEndian(in.read(5)) - DATETIMEF_INT_OFS;
        int micros = fraction(meta, in);
        long ymd = packed >> 17;
        long ym = ymd >> 5;
        long hms = packed & ((1 << 17) - 1);
        return datetime(
                (int) (ym / 13),
                (int) (ym % 13),
                (int) (ymd & 31),
                (int) (hms >> 12),
                (int) ((hms >> 6) & 63),
                (int) (hms & 63),
                micros);
    }

    /** {@code DATETIME} in the old format: 8 bytes little-endian, the digits YYYYMMDDhhmmss. */
    static Serializable datetime(ByteArrayInputStream in) throws IOException {
        long v = in.readLong(8);
        long date = v / 1_000_000;
        long time = v % 1_000_000;
        return datetime(
                (int) (date / 10_000),
                (int) (date / 100 % 100),
                (int) (date % 100),
                (int) (time / 10_000),
                (int) (time / 100 % 100),
                (int) (time % 100),
                0);
    }

    private static Serializable datetime(
            int year, int month, int day, int hour, int minute, int second, int micros) {
        if (year == 0 || month == 0 || day == 0) {
            return new ZeroDate(
                    String.format(
                                    "%04d-%02d-%02d %02d:%02d:%02d",
                                    year, month, day, hour, minute, second)
                            + (micros == 0 ? "" : String.format(".%06d", micros)));
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
    }

    /** {@code TIMESTAMP(n)} in the MySQL 5.6 format: UTC seconds big-endian and the fraction. */
    static Serializable timestamp2(int meta, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in.read(4));
        int micros = fraction(meta, in);
        return timestamp(seconds, micros);
    }

    /** {@code TIMESTAMP} in the old format: UTC seconds little-endian. */
    static Serializable timestamp(ByteArrayInputStream in) throws IOException {
        return timestamp(in.readLong(4), 0);
    }

    private static Serializable timestamp(long seconds, int micros) {
        // MySQL's TIMESTAMP starts at 1970-01-01 00:00:01 UTC: 0 is its zero value.
        if (seconds == 0 && micros == 0) {
            return new ZeroDate("0000-00-00 00:00:00");
        }
        return Instant.ofEpochSecond(seconds, micros * 1000L);
    }

    /**
     * {@code TIME(n)} in the MySQL 5.6 format: an offset-binary integer part (sign, hours, minutes,
     * seconds) and a fraction stored so that negative values sort below positive ones.
     */
    static Serializable time2(int meta, ByteArrayInputStream in) throws IOException {
        long packed;
        switch (meta) {
            case 1, 2 -> {
                long intPart = bigEndian(in.read(3)) - TIMEF_INT_OFS;
                long frac = in.read(1)[0] & 0xFF;
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10_000;
            }
            case 3, 4 -> {
                long intPart = bigEndian(in.read(3)) - TIMEF_INT_OFS;
                long frac = bigEndian(in.read(2));
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100;
            }
            case 5, 6 -> packed = bigEndian(in.read(6)) - TIMEF_OFS;
            default -> packed = (bigEndian(in.read(3)) - TIMEF_INT_OFS) << 24;
        }
        boolean negative = packed < 0;
        long abs = Math.abs(packed);
        long hms = abs >> 24;
        long micros = abs & 0xFFFFFF;
        long seconds = ((hms >> 12) & 1023) * 3600 + ((hms >> 6) & 63) * 60 + (hms & 63);
        Duration d = Duration.ofSeconds(seconds, micros * 1000);
        return negative ? d.negated() : d;
    }

    /** {@code TIME} in the old format: 3 bytes little-endian, the signed digits hhmmss. */
    static Serializable time(ByteArrayInputStream in) throws IOException {
        int v = (in.readInteger(3) << 8) >> 8;
        int abs = Math.abs(v);
        Duration d = Duration.ofSeconds(abs / 10_000 * 3600L + abs / 100 % 100 * 60L + abs % 100);
        return v < 0 ? d.negated() : d;
    }

    /** {@code YEAR}: one byte, years since 1900, 0 for {@code 0000}. */
    static Serializable year(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(1);
        return v == 0 ? 0 : 1900 + v;
    }

    /** The fraction of a second in microseconds: {@code (meta + 1) / 2} bytes big-endian. */
    private static int fraction(int meta, ByteArrayInputStream in) throws IOException {
        int length = (meta + 1) / 2;
        if (length == 0) {
            return 0;
        }
        int value = (int) bigEndian(in.read(length));
        return switch (length) {
            case 1 -> value * 10_000;
            case 2 -> value * 100;
            default -> value;
        };
    }

    private static long bigEndian(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
