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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Decoders of PostgreSQL's text forms into the Java values of the {@link DataType} table: the
 * values the change stream receives, decoded to exactly what {@link BinaryDecoders} gives the
 * snapshot for the same value. They expect the text forms of a session set up by {@link
 * io.siphon.connector.postgres.PostgresEndpoint}: ISO dates, {@code UTC}, the {@code postgres}
 * interval style, hex {@code bytea}, the C locale's money.
 *
 * <p>{@link #forType} covers every portable type; two native types need their own decoder because
 * their portable type does not say how their text looks: {@code money} ({@link #money}) and
 * composite types ({@link CompositeJson}).
 */
public final class PgTextDecoders {

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final TextDecoder AS_IS = text -> text;

    private PgTextDecoders() {}

    /** The decoder of a portable type's text form. */
    public static TextDecoder forType(DataType type) {
        return switch (type) {
            case BooleanType b -> PgTextDecoders::bool;
            case Int16 i -> Short::valueOf;
            case Int32 i -> Integer::valueOf;
            case Int64 i -> Long::valueOf;
            case UInt64 i -> BigInteger::new;
            case YearType y -> Short::valueOf;
            case DecimalType d -> PgTextDecoders::numeric;
            case Float32 f -> Float::valueOf;
            case Float64 f -> Double::valueOf;
            case StringType s -> AS_IS;
            case BinaryType b -> PgTextDecoders::bytea;
            case DateType d -> PgTextDecoders::date;
            case TimeType t -> PgTextDecoders::time;
            case DurationType t -> text -> BinaryDecoders.duration(interval(text));
            case TimestampType t -> PgTextDecoders::timestamp;
            case TimestampTzType t -> PgTextDecoders::timestampTz;
            case IntervalType i -> PgTextDecoders::interval;
            case UuidType u -> UUID::fromString;
            case JsonType j -> AS_IS;
            case ArrayType a -> arrayOf(forType(a.element()), delimiterOf(a.element()));
            case EnumType e -> AS_IS;
            case SetType t -> arrayOf(AS_IS, ',');
            case BitType b -> AS_IS;
            case GeometryType g -> AS_IS;
            case OtherType o -> o.nativeName().equals("inet") ? PgTextDecoders::inet : AS_IS;
        };
    }

    /**
     * {@code inet} with its netmask always, as {@code inet::text} writes it (the snapshot reads
     * {@link OtherType} values as {@code col::text}); the output function leaves out the netmask of
     * a single host.
     */
    static String inet(String text) {
        if (text.indexOf('/') >= 0) {
            return text;
        }
        return text + (text.indexOf(':') >= 0 ? "/128" : "/32");
    }

    /**
     * The decoder of {@code money}'s text form in the C locale ({@code -$1,234.56}), as the {@link
     * BigDecimal} that {@code money::numeric} gives.
     */
    public static TextDecoder money() {
        return PgTextDecoders::money;
    }

    /**
     * The decoder of an array literal: a {@link List} of element values, nested for more
     * dimensions.
     *
     * @param delimiter the element type's delimiter; see {@link #delimiterOf}
     */
    public static TextDecoder arrayOf(TextDecoder element, char delimiter) {
        return text -> decodeElements(PgLiterals.array(text, delimiter), element);
    }

    /** The delimiter between array elements of a type: {@code ;} for {@code box}, else comma. */
    public static char delimiterOf(DataType element) {
        return element instanceof OtherType o && o.nativeName().equals("box") ? ';' : ',';
    }

    private static List<Object> decodeElements(List<Object> raw, TextDecoder element) {
        Object[] values = new Object[raw.size()];
        for (int i = 0; i < values.length; i++) {
            Object e = raw.get(i);
            if (e instanceof List<?> inner) {
                @SuppressWarnings("unchecked")
                List<Object> dimension = (List<Object>) inner;
                values[i] = decodeElements(dimension, element);
            } else if (e != null) {
                values[i] = element.decode((String) e);
            }
        }
        return Arrays.asList(values);
    }

    static Boolean bool(String text) {
        return switch (text) {
            case "t" -> Boolean.TRUE;
            case "f" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean: expected t or f");
        };
    }

    /** A {@link BigDecimal} with the stored scale, or NaN/±Infinity as {@link Double}. */
    static Object numeric(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> new BigDecimal(text);
        };
    }

    static BigDecimal money(String text) {
        // The C locale writes "$1,234.56" and "-$1,234.56"; other locales use parentheses.
        boolean negative = text.startsWith("-") || text.startsWith("(");
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.') {
                digits.append(c);
            }
        }
        BigDecimal value = new BigDecimal(digits.toString());
        return negative ? value.negate() : value;
    }

    static byte[] bytea(String text) {
        if (!text.startsWith("\\x") || text.length() % 2 != 0) {
            throw new IllegalArgumentException("not a bytea in hex form");
        }
        byte[] out = new byte[(text.length() - 2) / 2];
        for (int i = 0, p = 2; i < out.length; i++, p += 2) {
            int high = Character.digit(text.charAt(p), 16);
            int low = Character.digit(text.charAt(p + 1), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("not a bytea in hex form");
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /** {@code YYYY-MM-DD[ BC]} (years may have more digits), or {@code ±infinity}. */
    static LocalDate date(String text) {
        return switch (text) {
            case "infinity" -> LocalDate.MAX;
            case "-infinity" -> LocalDate.MIN;
            default -> {
                boolean bc = text.endsWith(" BC");
                yield date(text, text.length() - (bc ? 3 : 0), bc);
            }
        };
    }

    /** The date {@code YYYY-MM-DD} that ends at {@code end}. */
    private static LocalDate date(String text, int end, boolean bc) {
        int year = Integer.parseInt(text, 0, end - 6, 10);
        int month = Integer.parseInt(text, end - 5, end - 3, 10);
        int day = Integer.parseInt(text, end - 2, end, 10);
        // ISO years count 1 BC as year 0, 2 BC as -1.
        return LocalDate.of(bc ? 1 - year : year, month, day);
    }

    /** {@code HH:MM:SS[.ffffff]}; {@code 24:00:00} is {@link LocalTime#MAX}. */
    static LocalTime time(String text) {
        long micros = timeMicros(text, 0, text.length(), false);
        return micros >= MICROS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1_000);
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.ffffff][ BC]}, or {@code ±infinity}. */
    static LocalDateTime timestamp(String text) {
        return switch (text) {
            case "infinity" -> LocalDateTime.MAX;
            case "-infinity" -> LocalDateTime.MIN;
            default -> {
                boolean bc = text.endsWith(" BC");
                int end = text.length() - (bc ? 3 : 0);
                int space = text.indexOf(' ');
                yield dateTime(text, space, end, bc);
            }
        };
    }

    private static LocalDateTime dateTime(String text, int space, int timeEnd, boolean bc) {
        LocalDate date = date(text, space, bc);
        long micros = timeMicros(text, space + 1, timeEnd, false);
        return LocalDateTime.of(date, LocalTime.ofNanoOfDay(micros * 1_000));
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]][ BC]}, or {@code ±infinity}; the instant at
     * UTC.
     */
    static OffsetDateTime timestampTz(String text) {
        return switch (text) {
            case "infinity" -> TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY;
            case "-infinity" -> TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY;
            default -> {
                boolean bc = text.endsWith(" BC");
                int end = text.length() - (bc ? 3 : 0);
                int space = text.indexOf(' ');
                int zone = zoneStart(text, space + 1, end);
                LocalDateTime local = dateTime(text, space, zone, bc);
                int offsetSeconds = offsetSeconds(text, zone, end);
                yield local.minusSeconds(offsetSeconds).atOffset(ZoneOffset.UTC);
            }
        };
    }

    private static int zoneStart(String text, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '-') {
                return i;
            }
        }
        throw new IllegalArgumentException("not a timestamp with time zone: no offset");
    }

    /** {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS} as seconds east of UTC. */
    private static int offsetSeconds(String text, int from, int end) {
        int sign = text.charAt(from) == '-' ? -1 : 1;
        int seconds = 0;
        int multiplier = 3_600;
        int p = from + 1;
        while (p < end) {
            int colon = text.indexOf(':', p);
            int partEnd = colon < 0 || colon > end ? end : colon;
            seconds += Integer.parseInt(text, p, partEnd, 10) * multiplier;
            multiplier /= 60;
            p = partEnd + 1;
        }
        return sign * seconds;
    }

    /**
     * The {@code postgres} interval style: {@code [N year[s]] [N mon[s]] [N day[s]]
     * [[+|-]H:MM:SS[.ffffff]]}, each part with its own sign; {@code ±infinity} as every part at its
     * limit (as {@link CopyTextEncoder} writes them).
     */
    static Interval interval(String text) {
        switch (text) {
            case "infinity" -> {
                return new Interval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
            }
            case "-infinity" -> {
                return new Interval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);
            }
            default -> {}
        }
        long months = 0;
        long days = 0;
        long micros = 0;
        int n = text.length();
        int p = 0;
        while (p < n) {
            int space = text.indexOf(' ', p);
            int end = space < 0 ? n : space;
            int colon = text.indexOf(':', p);
            if (colon >= 0 && colon < end) {
                char sign = text.charAt(p);
                boolean negative = sign == '-';
                int start = sign == '-' || sign == '+' ? p + 1 : p;
                micros = timeMicros(text, start, end, negative);
                p = end + 1;
                continue;
            }
            long value = Long.parseLong(text, p, end, 10);
            int unitEnd = text.indexOf(' ', end + 1);
            unitEnd = unitEnd < 0 ? n : unitEnd;
            switch (text.substring(end + 1, unitEnd)) {
                case "year", "years" -> months += value * 12;
                case "mon", "mons" -> months += value;
                case "day", "days" -> days += value;
                default ->
                        throw new IllegalArgumentException(
                                "not an interval in the postgres style: unknown unit");
            }
            p = unitEnd + 1;
        }
        return new Interval(Math.toIntExact(months), Math.toIntExact(days), micros);
    }

    /**
     * {@code H:MM:SS[.ffffff]} between {@code from} and {@code to} as microseconds, negated when
     * {@code negative}. Hours may exceed 24 (intervals); the sign is applied to each part so that
     * the most negative interval time does not overflow.
     */
    private static long timeMicros(String text, int from, int to, boolean negative) {
        int c1 = text.indexOf(':', from);
        int c2 = text.indexOf(':', c1 + 1);
        if (c1 < 0 || c2 < 0 || c2 >= to) {
            throw new IllegalArgumentException("not a time: expected H:MM:SS");
        }
        int dot = text.indexOf('.', c2 + 1);
        if (dot >= to) {
            dot = -1;
        }
        long sign = negative ? -1 : 1;
        long hours = Long.parseLong(text, from, c1, 10);
        long minutes = Long.parseLong(text, c1 + 1, c2, 10);
        long seconds = Long.parseLong(text, c2 + 1, dot < 0 ? to : dot, 10);
        long fraction = dot < 0 ? 0 : fractionMicros(text, dot + 1, to);
        long micros = Math.multiplyExact(sign * hours, 3_600_000_000L);
        micros = Math.addExact(micros, sign * minutes * 60_000_000L);
        micros = Math.addExact(micros, sign * seconds * 1_000_000L);
        return Math.addExact(micros, sign * fraction);
    }

    /** Up to six fraction digits as microseconds. */
    private static long fractionMicros(String text, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 6) {
            throw new IllegalArgumentException("not a time: one to six fraction digits expected");
        }
        long value = Long.parseLong(text, from, to, 10);
        for (int i = digits; i < 6; i++) {
            value *= 10;
        }
        return value;
    }
}
