package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.connector.mysql.types.TimeText;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Binds Siphon values as statement parameters for MySQL. Dates and times go as text in MySQL's own
 * literal form, never through {@code java.sql} date types, which the driver converts in the JVM's
 * time zone (a wall clock in a daylight-saving gap would move by an hour); instants go as their UTC
 * wall clock, which the session's UTC time zone stores unshifted in {@code DATETIME} and as the
 * right instant in {@code TIMESTAMP}. A value MySQL would change silently (a decimal with more
 * digits than the column, a NaN) is refused with {@link ErrorCode#DATA_INVALID}.
 */
final class ValueBinder {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    /** The first and last instant MySQL's {@code TIMESTAMP} holds. */
    static final Instant TIMESTAMP_MIN = Instant.parse("1970-01-01T00:00:01Z");

    static final Instant TIMESTAMP_MAX = Instant.parse("2038-01-19T03:14:07.999999Z");

    private final boolean instantsAsTimestamp;

    /**
     * A binder for a target whose instant columns are {@code TIMESTAMP}s ({@code
     * instantsAsTimestamp}), whose range it checks, or UTC {@code DATETIME}s.
     */
    ValueBinder(boolean instantsAsTimestamp) {
        this.instantsAsTimestamp = instantsAsTimestamp;
    }

    /** Binds parameter {@code index} to a value of a column of {@code table}. */
    void bind(PreparedStatement ps, int index, TableSchema table, Column column, Object value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        refuseUnchanged(table, column, value);
        try {
            switch (value) {
                case Boolean b -> ps.setBoolean(index, b);
                case Short s -> ps.setShort(index, s);
                case Integer i -> ps.setInt(index, i);
                case Long l -> ps.setLong(index, l);
                case BigDecimal d -> ps.setBigDecimal(index, decimal(column, d));
                case BigInteger i -> ps.setBigDecimal(index, new BigDecimal(i));
                case Float f -> ps.setFloat(index, finite(column, f, f.isNaN() || f.isInfinite()));
                case Double d ->
                        ps.setDouble(index, finite(column, d, d.isNaN() || d.isInfinite()));
                case String s
                        when column.type() instanceof DataType.BitType b
                                && MySqlTypeMapper.nativeBit(b) ->
                        ps.setBytes(index, bits(s));
                case String s -> ps.setString(index, s);
                case Duration d -> ps.setString(index, TimeText.of(d));
                case byte[] bytes -> ps.setBytes(index, bytes);
                case LocalDate d -> ps.setString(index, d.toString());
                case LocalTime t -> ps.setString(index, TIME.format(t));
                case LocalDateTime t -> ps.setString(index, DATE_TIME.format(t));
                case OffsetDateTime t -> ps.setString(index, instant(column, t));
                case UUID u -> ps.setString(index, u.toString());
                case Interval i -> ps.setString(index, isoInterval(i));
                case List<?> list when column.type() instanceof DataType.SetType ->
                        ps.setString(index, members(list));
                case List<?> list -> ps.setString(index, json(list));
                default -> ps.setString(index, value.toString());
            }
        } catch (ArithmeticException | IllegalArgumentException | java.time.DateTimeException e) {
            throw invalid(table, column, e.getMessage(), e);
        }
    }

    /**
     * A value as {@code LOAD DATA} reads it into the column: the text {@link #bind} would send,
     * with the same refusals; booleans as 1 and 0, bytes in hex (the statement reads them with
     * {@code UNHEX}), and a native {@code BIT} as its 0s and 1s (read with {@code CONV}). Never
     * null: the caller writes {@code \N} for NULL.
     */
    String text(TableSchema table, Column column, Object value) {
        refuseUnchanged(table, column, value);
        try {
            return switch (value) {
                case Boolean b -> b ? "1" : "0";
                // The text 0 is the year 2000 to YEAR; 0000 is the zero year the number 0 is.
                case Number n
                        when column.type() instanceof DataType.YearType && n.intValue() == 0 ->
                        "0000";
                case BigDecimal d -> decimal(column, d).toPlainString();
                case Float f -> finite(column, f, f.isNaN() || f.isInfinite()).toString();
                case Double d -> finite(column, d, d.isNaN() || d.isInfinite()).toString();
                case String s
                        when column.type() instanceof DataType.BitType b
                                && MySqlTypeMapper.nativeBit(b) -> {
                    bits(s);
                    yield s;
                }
                case Duration d -> TimeText.of(d);
                case byte[] bytes -> HexFormat.of().formatHex(bytes);
                case LocalDate d -> d.toString();
                case LocalTime t -> TIME.format(t);
                case LocalDateTime t -> DATE_TIME.format(t);
                case OffsetDateTime t -> instant(column, t);
                case Interval i -> isoInterval(i);
                case List<?> list when column.type() instanceof DataType.SetType -> members(list);
                case List<?> list -> json(list);
                default -> value.toString();
            };
        } catch (ArithmeticException | IllegalArgumentException | java.time.DateTimeException e) {
            throw invalid(table, column, e.getMessage(), e);
        }
    }

    private static void refuseUnchanged(TableSchema table, Column column, Object value) {
        if (value == Unchanged.VALUE) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "column "
                            + column.name()
                            + " of "
                            + table.id()
                            + " is marked unchanged in a plain write; only updates may leave"
                            + " values unchanged");
        }
    }

    private String instant(Column column, OffsetDateTime t) {
        Instant at = t.toInstant();
        if (instantsAsTimestamp
                && column.type() instanceof DataType.TimestampTzType
                && (at.isBefore(TIMESTAMP_MIN) || at.isAfter(TIMESTAMP_MAX))) {
            throw new IllegalArgumentException(
                    at
                            + " is outside the range of MySQL's TIMESTAMP (1970-01-01 00:00:01 to"
                            + " 2038-01-19 03:14:07 UTC); set 'instant-type: datetime' on the sink"
                            + " to keep instants as UTC DATETIME values, which hold years 1000 to"
                            + " 9999");
        }
        return DATE_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    /** A string of 0s and 1s as bytes, most significant first, as {@code BIT(n)} takes them. */
    static byte[] bits(String bits) {
        int n = bits.length();
        byte[] out = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            char c = bits.charAt(n - 1 - i);
            if (c == '1') {
                out[out.length - 1 - i / 8] |= (byte) (1 << (i % 8));
            } else if (c != '0') {
                throw new IllegalArgumentException("a bit string holds only 0 and 1");
            }
        }
        return out;
    }

    /** The members of a set, comma-separated, as MySQL takes a {@code SET} value. */
    private static String members(List<?> list) {
        StringBuilder out = new StringBuilder();
        for (Object member : list) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(member);
        }
        return out.toString();
    }

    private static BigDecimal decimal(Column column, BigDecimal value) {
        int scale =
                column.type() instanceof DataType.DecimalType d
                                && d.precision() != DataType.UNBOUNDED
                        ? d.scale()
                        : MySqlTypeMapper.MAX_DECIMAL_SCALE;
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > scale) {
            // MySQL would round it with only a note, even in strict mode.
            throw new IllegalArgumentException(
                    "the value has "
                            + stripped.scale()
                            + " digits after the point, the column holds "
                            + scale);
        }
        return value;
    }

    private static <T> T finite(Column column, T value, boolean special) {
        if (special) {
            throw new IllegalArgumentException(
                    value + " cannot be stored: MySQL has no NaN or infinite floats");
        }
        return value;
    }

    private static SiphonException invalid(
            TableSchema table, Column column, String why, RuntimeException e) {
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "column "
                        + column.name()
                        + " of "
                        + table.id()
                        + " got a value MySQL cannot store exactly: "
                        + why
                        + ". Transform the value, or skip the row with a filter",
                e);
    }

    /** ISO 8601 ({@code P14M3DT4.5S}): months, days and seconds kept apart, as the interval has. */
    static String isoInterval(Interval i) {
        BigDecimal seconds = BigDecimal.valueOf(i.micros(), 6).stripTrailingZeros();
        return "P"
                + i.months()
                + "M"
                + i.days()
                + "DT"
                + (seconds.signum() == 0 ? "0" : seconds.toPlainString())
                + "S";
    }

    /**
     * A list (an SQL array of another family) as a JSON array: numbers and booleans as themselves,
     * nested lists as arrays, bytes as hex text, everything else as its text.
     */
    static String json(List<?> list) {
        StringBuilder out = new StringBuilder();
        appendJson(out, list);
        return out.toString();
    }

    private static void appendJson(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    appendJson(out, list.get(i));
                }
                out.append(']');
            }
            case Boolean b -> out.append(b);
            case BigDecimal d -> out.append(d.toPlainString());
            case Short s -> out.append(s);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Float f when !f.isNaN() && !f.isInfinite() -> out.append(f);
            case Double d when !d.isNaN() && !d.isInfinite() -> out.append(d);
            case byte[] bytes -> quoted(out, "\\x" + HexFormat.of().formatHex(bytes));
            case OffsetDateTime t ->
                    quoted(out, t.withOffsetSameInstant(ZoneOffset.UTC).toString());
            default -> quoted(out, value.toString());
        }
    }

    private static void quoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A value as an SQL literal, for DDL, which takes no parameters: numbers and booleans as
     * themselves, bytes in hex, everything else as the text {@link #bind} would send.
     */
    static String literal(Object value) {
        return switch (value) {
            case Boolean b -> b ? "TRUE" : "FALSE";
            case Short s -> s.toString();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case BigDecimal d -> d.toPlainString();
            case BigInteger i -> i.toString();
            case Float f when !f.isNaN() && !f.isInfinite() -> f.toString();
            case Double d when !d.isNaN() && !d.isInfinite() -> d.toString();
            case byte[] bytes -> "X'" + HexFormat.of().formatHex(bytes) + "'";
            case LocalTime t -> SqlText.literal(TIME.format(t));
            case LocalDateTime t -> SqlText.literal(DATE_TIME.format(t));
            case OffsetDateTime t ->
                    SqlText.literal(
                            DATE_TIME.format(
                                    t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()));
            case Interval i -> SqlText.literal(isoInterval(i));
            case Duration d -> SqlText.literal(TimeText.of(d));
            case List<?> list -> SqlText.literal(json(list));
            default -> SqlText.literal(value.toString());
        };
    }

    /**
     * About how many bytes a value takes in a statement, to keep statements under the packet size.
     */
    static int size(Object value) {
        return switch (value) {
            case null -> 4;
            case String s -> s.length() * 3 + 2;
            case byte[] b -> b.length * 2 + 3;
            case List<?> l -> l.size() * 16 + 2;
            default -> 24;
        };
    }
}
