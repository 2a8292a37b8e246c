package io.siphon.connector.mysql.binlog;

import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.connector.mysql.types.MySqlColumnType;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.connector.mysql.types.TimeText;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;

/**
 * A column as a DDL statement declares it, turned into a model {@link Column} through the same type
 * mapping as the catalog's ({@link MySqlTypeMapper}): the parser's type text is rewritten into the
 * form {@code information_schema.COLUMNS.COLUMN_TYPE} has ({@code int unsigned}, {@code
 * decimal(10,2)}, {@code enum('a','b')}), with the SQL aliases resolved ({@code BOOL} is {@code
 * tinyint(1)}, {@code INTEGER} is {@code int}).
 *
 * <p>A column added to a table with rows gives them its {@code DEFAULT} (or, when {@code NOT NULL}
 * without one, MySQL's implicit default: 0, the empty string, the first label); that value becomes
 * the column's {@link Column#missingValue()}, so that a sink adding the column fills the rows it
 * has the same way.
 */
final class DdlColumns {

    private static final Map<String, String> ALIASES =
            Map.ofEntries(
                    Map.entry("bool", "tinyint(1)"),
                    Map.entry("boolean", "tinyint(1)"),
                    Map.entry("integer", "int"),
                    Map.entry("int4", "int"),
                    Map.entry("int8", "bigint"),
                    Map.entry("int2", "smallint"),
                    Map.entry("int1", "tinyint"),
                    Map.entry("int3", "mediumint"),
                    Map.entry("middleint", "mediumint"),
                    Map.entry("dec", "decimal"),
                    Map.entry("fixed", "decimal"),
                    Map.entry("numeric", "decimal"),
                    Map.entry("real", "double"),
                    Map.entry("float8", "double"),
                    Map.entry("float4", "float"),
                    Map.entry("nchar", "char"),
                    Map.entry("nvarchar", "varchar"),
                    Map.entry("character", "char"),
                    Map.entry("long", "mediumtext"),
                    Map.entry("serial", "bigint unsigned"));

    private DdlColumns() {}

    /** The column a definition declares. */
    static Column column(ColumnDefinition definition, MySqlTypeMapper types) {
        String name = BinlogSchemas.unquote(definition.getColumnName());
        List<String> specs =
                definition.getColumnSpecs() == null ? List.of() : definition.getColumnSpecs();
        String specText = String.join(" ", specs).toUpperCase(Locale.ROOT);
        MySqlColumnType native_ =
                nativeType(
                        definition.getColDataType(),
                        specText,
                        types.flavor() == ServerFlavor.MARIADB);
        DataType type = types.toColumnMapping(native_).type();
        boolean nullable = !specText.contains("NOT NULL") && !specText.contains("PRIMARY KEY");
        Object missing = missingValue(type, native_, specs, nullable);
        return new Column(name, type, nullable, native_.columnType(), missing);
    }

    /**
     * Whether the definition makes the column the table's primary key ({@code id INT PRIMARY KEY}).
     */
    static boolean primaryKey(ColumnDefinition definition) {
        List<String> specs = definition.getColumnSpecs();
        return specs != null
                && String.join(" ", specs).toUpperCase(Locale.ROOT).contains("PRIMARY KEY");
    }

    private static MySqlColumnType nativeType(ColDataType type, String specText, boolean mariaDb) {
        String text = type.getDataType().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
        // "varchar (20)" -> "varchar(20)", "decimal (10, 2)" -> "decimal(10,2)"
        text = text.replace(" (", "(").replace(", ", ",");
        if (type.getArgumentsStringList() != null && !type.getArgumentsStringList().isEmpty()) {
            text = text + "(" + String.join(",", type.getArgumentsStringList()) + ")";
        }
        if (specText.contains("UNSIGNED") && !text.contains("unsigned")) {
            text = text + " unsigned";
        }
        int cut = indexOfAny(text, '(', ' ');
        String base = cut < 0 ? text : text.substring(0, cut);
        String alias = ALIASES.get(base);
        if (alias != null) {
            text = alias + text.substring(base.length());
            cut = indexOfAny(text, '(', ' ');
            base = cut < 0 ? text : text.substring(0, cut);
        }
        if (base.equals("double") && text.startsWith("double precision")) {
            text = "double" + text.substring("double precision".length());
        }
        if (base.equals("char") && text.startsWith("char varying")) {
            text = "varchar" + text.substring("char varying".length());
            base = "varchar";
        }
        if (!text.contains("(")) {
            String width = defaultWidth(base, text.contains("unsigned"), mariaDb);
            if (width != null) {
                text = base + "(" + width + ")" + text.substring(base.length());
            }
        }
        return MySqlColumnType.of(base, text);
    }

    /**
     * The width {@code COLUMN_TYPE} shows for a type declared without one: MariaDB (and MySQL
     * before 8.0.19) show integer display widths, both show {@code char(1)}, {@code decimal(10,0)}.
     */
    private static String defaultWidth(String base, boolean unsigned, boolean mariaDb) {
        return switch (base) {
            case "char", "binary", "bit" -> "1";
            case "decimal" -> "10,0";
            case "tinyint" -> mariaDb ? (unsigned ? "3" : "4") : null;
            case "smallint" -> mariaDb ? (unsigned ? "5" : "6") : null;
            case "mediumint" -> mariaDb ? (unsigned ? "8" : "9") : null;
            case "int" -> mariaDb ? (unsigned ? "10" : "11") : null;
            case "bigint" -> mariaDb ? "20" : null;
            case "year" -> mariaDb ? "4" : null;
            default -> null;
        };
    }

    private static int indexOfAny(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * The value existing rows get: the {@code DEFAULT} literal, MySQL's implicit default of a
     * {@code NOT NULL} column without one, or null. An expression default ({@code
     * CURRENT_TIMESTAMP}) is evaluated per row by the server and is not known here: null.
     */
    private static Object missingValue(
            DataType type, MySqlColumnType native_, List<String> specs, boolean nullable) {
        for (int i = 0; i + 1 < specs.size(); i++) {
            if (specs.get(i).equalsIgnoreCase("DEFAULT")) {
                String literal = specs.get(i + 1);
                if (literal.equalsIgnoreCase("NULL")) {
                    return null;
                }
                return literal(type, native_, literal);
            }
        }
        return nullable ? null : implicitDefault(type, native_);
    }

    private static Object literal(DataType type, MySqlColumnType native_, String text) {
        boolean quoted = text.length() >= 2 && text.startsWith("'") && text.endsWith("'");
        String value = quoted ? text.substring(1, text.length() - 1).replace("''", "'") : text;
        try {
            return switch (type) {
                case DataType.BooleanType b -> new BigDecimal(value).signum() != 0;
                case DataType.Int16 i -> Short.parseShort(value);
                case DataType.Int32 i -> Integer.parseInt(value);
                case DataType.Int64 i -> Long.parseLong(value);
                case DataType.UInt64 u -> new BigInteger(value);
                case DataType.YearType y -> Short.parseShort(value);
                case DataType.DecimalType d ->
                        d.scale() >= 0
                                ? new BigDecimal(value).setScale(d.scale())
                                : new BigDecimal(value);
                case DataType.Float32 f -> Float.parseFloat(value);
                case DataType.Float64 f -> Double.parseDouble(value);
                case DataType.StringType s -> value;
                case DataType.EnumType e -> value;
                case DataType.DateType d -> LocalDate.parse(value);
                case DataType.TimestampType t -> LocalDateTime.parse(value.replace(' ', 'T'));
                case DataType.DurationType d -> TimeText.parse(value);
                case DataType.SetType s ->
                        value.isEmpty() ? List.of() : s.valueOf(List.of(value.split(",")));
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            // An expression (CURRENT_TIMESTAMP, (uuid()), b'101') rather than a literal.
            return null;
        }
    }

    private static Object implicitDefault(DataType type, MySqlColumnType native_) {
        return switch (type) {
            case DataType.BooleanType b -> false;
            case DataType.Int16 i -> (short) 0;
            case DataType.Int32 i -> 0;
            case DataType.Int64 i -> 0L;
            case DataType.UInt64 u -> BigInteger.ZERO;
            case DataType.YearType y -> (short) 0;
            case DataType.DecimalType d ->
                    d.scale() >= 0 ? BigDecimal.ZERO.setScale(d.scale()) : BigDecimal.ZERO;
            case DataType.Float32 f -> 0f;
            case DataType.Float64 f -> 0d;
            case DataType.StringType s -> "";
            case DataType.BinaryType b ->
                    new byte[Math.max(0, native_.dataType().equals("binary") ? b.maxLength() : 0)];
            case DataType.EnumType e -> e.values().isEmpty() ? "" : e.values().get(0);
            case DataType.SetType s -> List.of();
            case DataType.DurationType d -> Duration.ZERO;
            default -> null;
        };
    }
}
