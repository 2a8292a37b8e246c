package io.siphon.connector.mysql;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads a target table back into Siphon values for assertions, independently of the sink: dates and
 * times as the server's own text (never through the driver's java.sql conversions), instants
 * created as UTC {@code DATETIME}s read as UTC.
 */
final class MySqlRows {

    private MySqlRows() {}

    /** Every row of the table, values by the schema's portable types. */
    static List<Row> read(Connection c, TableSchema table) {
        List<String> select = new ArrayList<>();
        for (Column col : table.columns()) {
            String q = SqlText.quote(col.name());
            select.add(
                    switch (col.type()) {
                        case DataType.DateType d -> "CAST(" + q + " AS CHAR)";
                        case DataType.TimeType t -> "CAST(" + q + " AS CHAR)";
                        case DataType.TimestampType t -> "CAST(" + q + " AS CHAR)";
                        case DataType.TimestampTzType t -> "CAST(" + q + " AS CHAR)";
                        case DataType.DurationType t -> "CAST(" + q + " AS CHAR)";
                        case DataType.BitType b -> "BIN(" + q + " + 0)";
                        default -> q;
                    });
        }
        String sql = "SELECT " + String.join(", ", select) + " FROM " + SqlText.quote(table.id());
        List<Row> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Object[] values = new Object[table.columns().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = value(rs, i + 1, table.columns().get(i).type());
                }
                rows.add(new Row(values));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + table.id() + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** MySQL's TIME text, {@code [-]H:MM:SS[.ffffff]}, as a duration. */
    private static Duration duration(String text) {
        boolean negative = text.startsWith("-");
        String[] parts = (negative ? text.substring(1) : text).split("[:.]");
        Duration d =
                Duration.ofHours(Long.parseLong(parts[0]))
                        .plusMinutes(Long.parseLong(parts[1]))
                        .plusSeconds(Long.parseLong(parts[2]));
        if (parts.length > 3) {
            d = d.plusNanos(Long.parseLong((parts[3] + "000000000").substring(0, 9)));
        }
        return negative ? d.negated() : d;
    }

    private static Object value(ResultSet rs, int i, DataType type) throws SQLException {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        return switch (type) {
            case DataType.BooleanType b -> rs.getBoolean(i);
            case DataType.Int16 s -> rs.getShort(i);
            case DataType.YearType y -> rs.getShort(i);
            case DataType.Int32 n -> rs.getInt(i);
            case DataType.Int64 n -> rs.getLong(i);
            case DataType.UInt64 n -> new BigInteger(text);
            case DataType.DecimalType d -> rs.getBigDecimal(i);
            case DataType.Float32 f -> rs.getFloat(i);
            case DataType.Float64 f -> rs.getDouble(i);
            case DataType.BinaryType b -> rs.getBytes(i);
            case DataType.DateType d -> LocalDate.parse(text);
            case DataType.TimeType t -> LocalTime.parse(text);
            case DataType.TimestampType t -> LocalDateTime.parse(text.replace(' ', 'T'));
            case DataType.TimestampTzType t ->
                    LocalDateTime.parse(text.replace(' ', 'T')).atOffset(ZoneOffset.UTC);
            case DataType.UuidType u -> UUID.fromString(text);
            case DataType.DurationType d -> duration(text);
            case DataType.BitType b when b.length() > text.length() ->
                    "0".repeat(b.length() - text.length()) + text;
            case DataType.SetType e -> text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
            default -> text;
        };
    }
}
