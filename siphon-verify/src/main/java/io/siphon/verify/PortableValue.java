package io.siphon.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value in a form that does not depend on the system it was read from. The rules, and where
 * they are deliberately lossy, are listed in docs/architecture.md ("Portable verification").
 */
final class PortableValue {

    private static final int NANOS_PER_SECOND = 1_000_000_000;
    private static final Pattern DURATION =
            Pattern.compile("(-)?(\\d+):([0-5]\\d):([0-5]\\d)(?:\\.(\\d{1,9}))?");

    private PortableValue() {}

    /**
     * Reads column {@code index} (1-based) of the current row, selected by the side's {@link
     * SqlDialect.SourceColumn#select()} expression, and normalises it.
     *
     * @param own what the value means on its side
     * @param common what both sides of the column are compared as ({@link ValueKind#common})
     * @return the normalised value, or null for SQL NULL
     */
    static String read(ResultSet rs, int index, ValueKind own, ValueKind common)
            throws SQLException {
        if (own == ValueKind.BOOLEAN) {
            boolean b = rs.getBoolean(index);
            if (rs.wasNull()) {
                return null;
            }
            return common == ValueKind.BOOLEAN ? String.valueOf(b) : b ? "1" : "0";
        }
        if (own == ValueKind.TEXT_ARRAY && common == ValueKind.TEXT) {
            Array array = rs.getArray(index);
            if (array == null) {
                return null;
            }
            StringJoiner members = new StringJoiner(",");
            for (Object member : (Object[]) array.getArray()) {
                members.add(String.valueOf(member));
            }
            return members.toString();
        }
        if (own == ValueKind.TEXT_ARRAY && common == ValueKind.JSON) {
            Array array = rs.getArray(index);
            if (array == null) {
                return null;
            }
            StringJoiner members = new StringJoiner(",", "[", "]");
            for (Object member : (Object[]) array.getArray()) {
                members.add(member == null ? "null" : jsonString(member.toString()));
            }
            try {
                return CanonicalJson.of(members.toString());
            } catch (CanonicalJson.Invalid e) {
                return "unparsed:" + members;
            }
        }
        if (own == ValueKind.BITS && common == ValueKind.INTEGER) {
            String bits = rs.getString(index);
            return bits == null ? null : bits.isEmpty() ? "0" : new BigInteger(bits, 2).toString();
        }
        if (common == ValueKind.BYTES) {
            byte[] bytes = rs.getBytes(index);
            return bytes == null ? null : HexFormat.of().formatHex(bytes);
        }
        String text = rs.getString(index);
        return text == null ? null : normalise(text, common);
    }

    /**
     * The normalised form of a value's text; text that does not parse as its kind is kept as it is
     * (marked), so it can only equal the same unparseable text on the other side.
     */
    static String normalise(String text, ValueKind kind) {
        try {
            return switch (kind) {
                case INTEGER -> new BigInteger(text.trim()).toString();
                // By value: 1.50 = 1.5. MySQL pads a DECIMAL to its scale and PostgreSQL keeps
                // the scale a value was given, so the scale does not survive a copy; a rounded
                // value does not compare equal.
                case DECIMAL -> decimal(new BigDecimal(text.trim()));
                case FLOAT -> floatingPoint(text.trim());
                case DATE -> LocalDate.parse(text).toString();
                case TIME -> time(LocalTime.parse(text));
                case DURATION -> duration(text.trim());
                case WALL_CLOCK -> wallClock(LocalDateTime.parse(text.replace(' ', 'T')));
                case INSTANT -> instant(new BigDecimal(text.trim()));
                case JSON -> CanonicalJson.of(text);
                case UUID -> text.trim().toLowerCase(Locale.ROOT);
                case BOOLEAN, TEXT, BYTES, OTHER, INTERVAL, BITS, TEXT_ARRAY -> text;
            };
        } catch (NumberFormatException | DateTimeParseException | CanonicalJson.Invalid e) {
            return "unparsed:" + text;
        }
    }

    /** A JSON string literal. */
    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String decimal(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static String floatingPoint(String text) {
        double d = Double.parseDouble(text);
        // MySQL cannot store -0; PostgreSQL can. They compare equal, as in SQL.
        return d == 0 ? "0.0" : Double.toString(d);
    }

    private static String time(LocalTime t) {
        return String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond())
                + fraction(t.getNano());
    }

    /**
     * {@code [-]H:MM:SS[.f]} (MySQL's TIME, PostgreSQL's interval of hours, minutes and seconds,
     * and its time of day) as {@code [-]H:MM:SS} with the fraction's trailing zeros removed.
     */
    private static String duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new NumberFormatException(text);
        }
        long hours = Long.parseLong(m.group(2));
        String fraction = m.group(5) == null ? "" : m.group(5);
        int nanos =
                fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        boolean zero =
                hours == 0 && m.group(3).equals("00") && m.group(4).equals("00") && nanos == 0;
        return (m.group(1) != null && !zero ? "-" : "")
                + hours
                + ":"
                + m.group(3)
                + ":"
                + m.group(4)
                + fraction(nanos);
    }

    private static String wallClock(LocalDateTime t) {
        return t.toLocalDate() + " " + time(t.toLocalTime());
    }

    private static String instant(BigDecimal epochSeconds) {
        BigDecimal[] parts = epochSeconds.divideAndRemainder(BigDecimal.ONE);
        long seconds = parts[0].longValueExact();
        long nanos = parts[1].movePointRight(9).longValue();
        if (nanos < 0) {
            seconds -= 1;
            nanos += NANOS_PER_SECOND;
        }
        Instant instant = Instant.ofEpochSecond(seconds, nanos);
        return wallClock(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) + "Z";
    }

    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        String digits = String.format("%09d", nanos);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return "." + digits.substring(0, end);
    }
}
