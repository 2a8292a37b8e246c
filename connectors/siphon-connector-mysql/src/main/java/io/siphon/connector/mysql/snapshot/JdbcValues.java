package io.siphon.connector.mysql.snapshot;

import io.siphon.connector.mysql.binlog.Wkb;
import io.siphon.connector.mysql.types.TimeText;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads a column of a snapshot row into the Java value of its {@link DataType}: the same values the
 * binlog stream decodes, so that a table copied and then streamed is exact. The connection's
 * session runs at {@code time_zone = '+00:00'}, so a {@code TIMESTAMP} reads as its UTC wall clock.
 */
final class JdbcValues {

    /** A zero date as read; the reader applies the {@code zero-dates} policy with the row's key. */
    record ZeroDate(String text) {}

    private JdbcValues() {}

    static Object read(ResultSet rs, int i, Column column) throws SQLException {
        Object value =
                switch (column.type()) {
                    case DataType.BooleanType b -> rs.getBoolean(i);
                    case DataType.Int16 t -> rs.getShort(i);
                    case DataType.Int32 t -> rs.getInt(i);
                    case DataType.Int64 t -> rs.getLong(i);
                    case DataType.UInt64 t -> {
                        BigDecimal d = rs.getBigDecimal(i);
                        yield d == null ? null : d.toBigIntegerExact();
                    }
                    case DataType.YearType t -> rs.getShort(i);
                    case DataType.DecimalType t -> rs.getBigDecimal(i);
                    case DataType.Float32 t -> rs.getFloat(i);
                    case DataType.Float64 t -> rs.getDouble(i);
                    case DataType.StringType t -> rs.getString(i);
                    case DataType.EnumType t -> rs.getString(i);
                    case DataType.JsonType t -> rs.getString(i);
                    case DataType.OtherType t -> rs.getString(i);
                    case DataType.BinaryType t -> rs.getBytes(i);
                    case DataType.GeometryType t -> {
                        byte[] stored = rs.getBytes(i);
                        yield stored == null ? null : Wkb.toText(stored);
                    }
                    case DataType.BitType t -> bits(rs.getBytes(i), t.length());
                    case DataType.SetType t -> {
                        String text = rs.getString(i);
                        yield text == null
                                ? null
                                : text.isEmpty() ? List.of() : List.of(text.split(","));
                    }
                    case DataType.UuidType t -> {
                        String text = rs.getString(i);
                        yield text == null ? null : UUID.fromString(text);
                    }
                    case DataType.DurationType t -> TimeText.parse(rs.getString(i));
                    case DataType.TimeType t -> {
                        Duration d = TimeText.parse(rs.getString(i));
                        yield d == null ? null : java.time.LocalTime.ofNanoOfDay(d.toNanos());
                    }
                    case DataType.DateType t -> {
                        String text = rs.getString(i);
                        yield zero(text)
                                ? new ZeroDate(text)
                                : text == null ? null : LocalDate.parse(text);
                    }
                    case DataType.TimestampType t -> wallClock(rs.getString(i));
                    case DataType.TimestampTzType t -> {
                        Object wall = wallClock(rs.getString(i));
                        yield wall instanceof LocalDateTime l ? l.atOffset(ZoneOffset.UTC) : wall;
                    }
                    case DataType.IntervalType t -> rs.getString(i);
                    case DataType.ArrayType t -> rs.getString(i);
                };
        return rs.wasNull() ? null : value;
    }

    private static boolean zero(String text) {
        return text != null
                && (text.startsWith("0000-")
                        || text.startsWith("-00", 4)
                        || text.startsWith("-00", 7));
    }

    /** {@code 2024-01-02 03:04:05.123456} as a wall clock, or a zero date. */
    private static Object wallClock(String text) {
        if (text == null) {
            return null;
        }
        if (zero(text)) {
            return new ZeroDate(text);
        }
        return LocalDateTime.parse(text.replace(' ', 'T'));
    }

    /** {@code BIT(n)} bytes (most significant first) as n characters '0' and '1'. */
    private static String bits(byte[] bytes, int length) {
        if (bytes == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(length);
        for (int bit = length - 1; bit >= 0; bit--) {
            int index = bytes.length - 1 - bit / 8;
            boolean set = index >= 0 && (bytes[index] & (1 << (bit % 8))) != 0;
            out.append(set ? '1' : '0');
        }
        return out.toString();
    }

    /** For messages: a key value. */
    static String show(Object value) {
        return value instanceof byte[] b ? Arrays.toString(b) : String.valueOf(value);
    }
}
