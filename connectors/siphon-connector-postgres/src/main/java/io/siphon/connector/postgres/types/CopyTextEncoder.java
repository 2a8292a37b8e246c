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
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes Java values (per the {@link DataType} table) in PostgreSQL's text input form, escaped for
 * {@code COPY ... FROM STDIN} in text format: backslash, newline, carriage return and tab escaped,
 * {@code \N} for NULL.
 *
 * <p>Special values: {@code NaN}/{@code ±Infinity} numbers as PostgreSQL spells them, {@link
 * TemporalLimits} values as {@code infinity}/{@code -infinity}, {@link LocalTime#MAX} as {@code
 * 24:00:00}, years before 1 as BC, instants at UTC with {@code +00}, arrays as array literals with
 * every element quoted.
 */
public final class CopyTextEncoder {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long MICROS_PER_HOUR = 3_600_000_000L;

    private CopyTextEncoder() {}

    /**
     * Appends one COPY field: the value's text form, escaped, or {@code \N} for null.
     *
     * @throws ClassCastException when the value is not the Java type of {@code type}
     */
    public static void appendField(StringBuilder out, Object value, DataType type) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        switch (type) {
            case BooleanType b -> out.append((Boolean) value ? 't' : 'f');
            case Int16 i -> out.append(((Number) value).longValue());
            case Int32 i -> out.append(((Number) value).longValue());
            case Int64 i -> out.append(((Number) value).longValue());
            case UInt64 i -> out.append(unsigned(value));
            case YearType y -> out.append(((Number) value).longValue());
            case StringType s -> appendEscaped(out, (String) value);
            case JsonType j -> appendEscaped(out, (String) value);
            case EnumType e -> appendEscaped(out, (String) value);
            case GeometryType g -> appendEscaped(out, (String) value);
            case OtherType o -> appendEscaped(out, (String) value);
            case BitType b -> out.append(bits(value));
            case BinaryType b -> {
                // The COPY escaping doubles the backslash of bytea's \x hex form.
                out.append("\\\\x");
                appendHex(out, (byte[]) value);
            }
            case DecimalType d -> out.append(textForm(value, type));
            case Float32 f -> out.append(textForm(value, type));
            case Float64 f -> out.append(textForm(value, type));
            case DateType d -> out.append(textForm(value, type));
            case TimeType t -> out.append(textForm(value, type));
            case DurationType t -> out.append(textForm(value, type));
            case TimestampType t -> out.append(textForm(value, type));
            case TimestampTzType t -> out.append(textForm(value, type));
            case IntervalType i -> out.append(textForm(value, type));
            case UuidType u -> out.append((UUID) value);
            case ArrayType a -> appendEscaped(out, textForm(value, type));
            case SetType t -> appendEscaped(out, textForm(value, type));
        }
    }

    /** The PostgreSQL text input form of a non-null value, not escaped for COPY. */
    public static String textForm(Object value, DataType type) {
        return switch (type) {
            case BooleanType b -> (Boolean) value ? "t" : "f";
            case Int16 i -> value.toString();
            case Int32 i -> value.toString();
            case Int64 i -> value.toString();
            case UInt64 i -> unsigned(value);
            case YearType y -> value.toString();
            case DecimalType d -> decimal(value);
            case Float32 f -> Float.toString(((Number) value).floatValue());
            case Float64 f -> Double.toString(((Number) value).doubleValue());
            case StringType s -> text(value);
            case BinaryType b -> {
                StringBuilder sb = new StringBuilder("\\x");
                appendHex(sb, (byte[]) value);
                yield sb.toString();
            }
            case DateType d -> date((LocalDate) value);
            case TimeType t -> time((LocalTime) value);
            case DurationType t -> duration((Duration) value);
            case TimestampType t -> timestamp((LocalDateTime) value);
            case TimestampTzType t -> timestampTz((OffsetDateTime) value);
            case IntervalType i -> interval((Interval) value);
            case UuidType u -> ((UUID) value).toString();
            case JsonType j -> text(value);
            case ArrayType a -> {
                StringBuilder sb = new StringBuilder();
                appendArray(sb, (List<?>) value, a.element());
                yield sb.toString();
            }
            case SetType t -> {
                StringBuilder sb = new StringBuilder();
                appendArray(sb, (List<?>) value, StringType.unbounded());
                yield sb.toString();
            }
            case EnumType e -> text(value);
            case BitType b -> bits(value);
            case GeometryType g -> text(value);
            case OtherType o -> text(value);
        };
    }

    /**
     * A text value, checked for the one character PostgreSQL text cannot hold.
     *
     * @throws IllegalArgumentException for the character U+0000, which MySQL text may hold
     */
    static String text(Object value) {
        String s = (String) value;
        checkNoNul(s);
        return s;
    }

    /**
     * Refuses the character U+0000: PostgreSQL text, json and jsonb cannot hold it (the server
     * would refuse the whole COPY with an encoding error that names neither column nor key).
     */
    static void checkNoNul(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "PostgreSQL text cannot hold the character U+0000 (NUL); remove it at the"
                            + " source or with a transform (compute with replace())");
        }
    }

    /** A BigInteger of an unsigned 64-bit column, checked for range. */
    static String unsigned(Object value) {
        BigInteger v = (BigInteger) value;
        if (v.signum() < 0 || v.bitLength() > 64) {
            throw new ArithmeticException(v + " is out of range for an unsigned 64-bit integer");
        }
        return v.toString();
    }

    /** A bit string: only '0' and '1'. */
    static String bits(Object value) {
        String s = (String) value;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '0' && c != '1') {
                throw new IllegalArgumentException("'" + s + "' is not a string of bits");
            }
        }
        return s;
    }

    /**
     * {@code [-]H:MM:SS[.ffffff]}: read by PostgreSQL as an interval, and as a time of day when it
     * is one (a column whose type was overridden to {@code time}).
     */
    static String duration(Duration d) {
        StringBuilder sb = new StringBuilder(20);
        long micros = d.toSeconds() * 1_000_000L + d.toNanosPart() / 1_000;
        if (d.toNanosPart() % 1_000 != 0) {
            throw new ArithmeticException(d + " has a fraction finer than a microsecond");
        }
        if (micros < 0) {
            sb.append('-');
            micros = -micros;
        }
        sb.append(micros / MICROS_PER_HOUR).append(':');
        pad2(sb, (int) (micros % MICROS_PER_HOUR / 60_000_000L));
        sb.append(':');
        pad2(sb, (int) (micros % 60_000_000L / 1_000_000L));
        if (micros % 1_000_000L != 0) {
            sb.append('.');
            pad(sb, micros % 1_000_000L, 6);
        }
        return sb.toString();
    }

    /** A BigDecimal, or NaN/±Infinity as a Double; whole numbers are accepted too. */
    private static String decimal(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : ((Number) value).toString();
    }

    /** {@code {"a","b",NULL}}, nested for more dimensions; {@code box} separates with ';'. */
    private static void appendArray(StringBuilder sb, List<?> list, DataType element) {
        char delimiter = element instanceof OtherType o && o.nativeName().equals("box") ? ';' : ',';
        sb.append('{');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(delimiter);
            }
            Object v = list.get(i);
            if (v == null) {
                sb.append("NULL");
            } else if (v instanceof List<?> inner) {
                appendArray(sb, inner, element);
            } else {
                sb.append('"');
                String text = textForm(v, element);
                for (int c = 0; c < text.length(); c++) {
                    char ch = text.charAt(c);
                    if (ch == '"' || ch == '\\') {
                        sb.append('\\');
                    }
                    sb.append(ch);
                }
                sb.append('"');
            }
        }
        sb.append('}');
    }

    static String date(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return "infinity";
        }
        if (d.equals(LocalDate.MIN)) {
            return "-infinity";
        }
        StringBuilder sb = new StringBuilder(16);
        boolean bc = appendDate(sb, d);
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    static String time(LocalTime t) {
        if (t.equals(LocalTime.MAX)) {
            return "24:00:00";
        }
        StringBuilder sb = new StringBuilder(15);
        appendTime(sb, t);
        return sb.toString();
    }

    static String timestamp(LocalDateTime ts) {
        if (ts.equals(LocalDateTime.MAX)) {
            return "infinity";
        }
        if (ts.equals(LocalDateTime.MIN)) {
            return "-infinity";
        }
        StringBuilder sb = new StringBuilder(32);
        boolean bc = appendDate(sb, ts.toLocalDate());
        sb.append(' ');
        appendTime(sb, ts.toLocalTime());
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    static String timestampTz(OffsetDateTime ts) {
        if (ts.isEqual(TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY)) {
            return "infinity";
        }
        if (ts.isEqual(TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY)) {
            return "-infinity";
        }
        LocalDateTime utc = ts.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        StringBuilder sb = new StringBuilder(36);
        boolean bc = appendDate(sb, utc.toLocalDate());
        sb.append(' ');
        appendTime(sb, utc.toLocalTime());
        sb.append("+00");
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    /**
     * {@code N mons N days [-]H:MM:SS.ffffff}, in the {@code postgres} interval style that every
     * connection of this connector uses; PostgreSQL 17's infinite intervals as {@code infinity}.
     */
    static String interval(Interval i) {
        if (i.months() == Integer.MAX_VALUE
                && i.days() == Integer.MAX_VALUE
                && i.micros() == Long.MAX_VALUE) {
            return "infinity";
        }
        if (i.months() == Integer.MIN_VALUE
                && i.days() == Integer.MIN_VALUE
                && i.micros() == Long.MIN_VALUE) {
            return "-infinity";
        }
        StringBuilder sb = new StringBuilder(48);
        sb.append(i.months()).append(" mons ").append(i.days()).append(" days ");
        long micros = i.micros();
        // Truncating division keeps the parts' signs equal, so negating them cannot overflow.
        long hours = micros / MICROS_PER_HOUR;
        long rest = micros % MICROS_PER_HOUR;
        if (micros < 0) {
            sb.append('-');
            hours = -hours;
            rest = -rest;
        }
        sb.append(hours).append(':');
        pad2(sb, (int) (rest / 60_000_000L));
        sb.append(':');
        long secondsMicros = rest % 60_000_000L;
        pad2(sb, (int) (secondsMicros / 1_000_000L));
        sb.append('.');
        pad(sb, secondsMicros % 1_000_000L, 6);
        return sb.toString();
    }

    /** Appends {@code YYYY-MM-DD}; returns whether the year is BC (ISO year 0 is 1 BC). */
    private static boolean appendDate(StringBuilder sb, LocalDate d) {
        int year = d.getYear();
        boolean bc = year <= 0;
        pad(sb, bc ? 1L - year : year, 4);
        sb.append('-');
        pad2(sb, d.getMonthValue());
        sb.append('-');
        pad2(sb, d.getDayOfMonth());
        return bc;
    }

    private static void appendTime(StringBuilder sb, LocalTime t) {
        pad2(sb, t.getHour());
        sb.append(':');
        pad2(sb, t.getMinute());
        sb.append(':');
        pad2(sb, t.getSecond());
        int nanos = t.getNano();
        if (nanos != 0) {
            sb.append('.');
            // Whole microseconds as six digits; finer values are left for PostgreSQL to round.
            if (nanos % 1_000 == 0) {
                pad(sb, nanos / 1_000, 6);
            } else {
                pad(sb, nanos, 9);
            }
        }
    }

    private static void pad2(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }

    private static void pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    private static void appendHex(StringBuilder sb, byte[] bytes) {
        for (byte b : bytes) {
            sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
    }

    /** Appends text with COPY's escapes for backslash, newline, carriage return and tab. */
    static void appendEscaped(StringBuilder sb, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\0' -> checkNoNul(s);
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
    }
}
