package io.siphon.verify;

import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** What the comparison needs to know of a database system: its catalog, quoting and casts. */
sealed interface SqlDialect permits SqlDialect.Postgres, SqlDialect.MySql {

    /**
     * A column as one side stores it.
     *
     * @param name the column name
     * @param kind what its values mean
     * @param select the expression that reads it in the form {@link PortableValue} expects
     */
    record SourceColumn(String name, ValueKind kind, String select) {}

    /**
     * The dialect of a connection's database.
     *
     * @throws SiphonException {@link ErrorCode#TYPE_UNSUPPORTED} for a system other than
     *     PostgreSQL, MariaDB and MySQL
     */
    static SqlDialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        return switch (product.toLowerCase(Locale.ROOT)) {
            case "postgresql" -> new Postgres();
            case "mariadb", "mysql" -> new MySql();
            default ->
                    throw new SiphonException(
                            ErrorCode.TYPE_UNSUPPORTED,
                            "Cannot compare tables of "
                                    + product
                                    + ": the comparison knows PostgreSQL, MariaDB and MySQL");
        };
    }

    /** The table's columns in their declared order; empty when the table does not exist. */
    List<SourceColumn> columns(Connection c, TableId table) throws SQLException;

    /** The primary key's columns in key order; empty when the table has none. */
    List<String> primaryKey(Connection c, TableId table) throws SQLException;

    /** A quoted identifier. */
    String quote(String identifier);

    /** The expression that orders a key column the same way on every system. */
    String orderBy(String column, ValueKind kind);

    /** The quoted, qualified table name. */
    default String table(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    /** PostgreSQL: {@link TableId#schema()} is the schema. */
    record Postgres() implements SqlDialect {

        @Override
        public List<SourceColumn> columns(Connection c, TableId table) throws SQLException {
            return CatalogQuery.list(
                    c,
                    "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_class c ON c.oid ="
                            + " a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN"
                            + " pg_type t ON t.oid = a.atttypid WHERE n.nspname = ? AND c.relname"
                            + " = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    table,
                    rs -> {
                        String name = rs.getString(1);
                        ValueKind kind = kind(rs.getString(2));
                        return new SourceColumn(name, kind, select(quote(name), kind));
                    });
        }

        private static ValueKind kind(String type) {
            return switch (type) {
                case "bool" -> ValueKind.BOOLEAN;
                case "int2", "int4", "int8", "oid" -> ValueKind.INTEGER;
                case "numeric" -> ValueKind.DECIMAL;
                case "float4", "float8" -> ValueKind.FLOAT;
                case "text", "varchar", "bpchar", "name", "citext" -> ValueKind.TEXT;
                case "bytea" -> ValueKind.BYTES;
                case "date" -> ValueKind.DATE;
                case "time" -> ValueKind.TIME;
                case "interval" -> ValueKind.INTERVAL;
                case "bit", "varbit" -> ValueKind.BITS;
                case "_text" -> ValueKind.TEXT_ARRAY;
                case "timestamp" -> ValueKind.WALL_CLOCK;
                case "timestamptz" -> ValueKind.INSTANT;
                case "json", "jsonb" -> ValueKind.JSON;
                case "uuid" -> ValueKind.UUID;
                default -> ValueKind.OTHER;
            };
        }

        private static String select(String column, ValueKind kind) {
            return switch (kind) {
                // float4 widened to float8 is exact, and prints every digit the value has.
                case FLOAT -> column + "::float8";
                // Seconds since the epoch as an exact numeric: no session time zone involved.
                case INSTANT -> "EXTRACT(EPOCH FROM " + column + ")";
                // As text from the server: a driver that builds these through java.sql types
                // shifts wall-clock values that fall in a DST gap of the JVM's zone.
                case DATE, TIME, DURATION, INTERVAL, BITS, WALL_CLOCK, OTHER -> column + "::text";
                // Read as an array when compared with a MySQL SET, else as its text.
                case BOOLEAN, INTEGER, DECIMAL, TEXT, BYTES, JSON, UUID, TEXT_ARRAY -> column;
            };
        }

        @Override
        public List<String> primaryKey(Connection c, TableId table) throws SQLException {
            return CatalogQuery.list(
                    c,
                    "SELECT a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN"
                            + " pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON"
                            + " a.attrelid = t.oid AND a.attnum = ANY(i.indkey) WHERE"
                            + " i.indisprimary AND n.nspname = ? AND t.relname = ? ORDER BY"
                            + " array_position(i.indkey::int2[], a.attnum)",
                    table,
                    rs -> rs.getString(1));
        }

        @Override
        public String quote(String identifier) {
            return TableId.quote(identifier);
        }

        @Override
        public String orderBy(String column, ValueKind kind) {
            // "C" orders by bytes, which for UTF-8 is code point order, as MySQL's binary
            // collation.
            return kind.orderedAsText() ? quote(column) + "::text COLLATE \"C\"" : quote(column);
        }
    }

    /** MariaDB and MySQL: {@link TableId#schema()} is the database. */
    record MySql() implements SqlDialect {

        @Override
        public List<SourceColumn> columns(Connection c, TableId table) throws SQLException {
            List<String> json = mariaDbJson(c, table);
            return CatalogQuery.list(
                    c,
                    "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE"
                            + " TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                    table,
                    rs -> {
                        String name = rs.getString(1);
                        String type =
                                json.contains(name)
                                        ? "json"
                                        : rs.getString(2).toLowerCase(Locale.ROOT);
                        ValueKind kind = kind(type);
                        return new SourceColumn(name, kind, select(quote(name), type, kind));
                    });
        }

        /**
         * The columns MariaDB declared {@code JSON}: it stores them as {@code longtext} with the
         * check {@code json_valid(`column`)}, the declaration's only trace. None on MySQL, which
         * reports {@code json} itself.
         */
        private static List<String> mariaDbJson(Connection c, TableId table) throws SQLException {
            if (!c.getMetaData().getDatabaseProductVersion().contains("MariaDB")) {
                return List.of();
            }
            return CatalogQuery.list(
                    c,
                    "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE"
                            + " CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?",
                    table,
                    rs -> {
                        String clause = rs.getString(1);
                        return clause.startsWith("json_valid(`") && clause.endsWith("`)")
                                ? clause.substring(12, clause.length() - 2).replace("``", "`")
                                : "";
                    });
        }

        private static ValueKind kind(String type) {
            return switch (type) {
                case "tinyint", "smallint", "mediumint", "int", "bigint", "year", "bit" ->
                        ValueKind.INTEGER;
                case "decimal" -> ValueKind.DECIMAL;
                case "float", "double" -> ValueKind.FLOAT;
                case "char",
                        "varchar",
                        "tinytext",
                        "text",
                        "mediumtext",
                        "longtext",
                        "enum",
                        "set" ->
                        ValueKind.TEXT;
                case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                        ValueKind.BYTES;
                case "date" -> ValueKind.DATE;
                case "time" -> ValueKind.DURATION;
                case "datetime" -> ValueKind.WALL_CLOCK;
                case "timestamp" -> ValueKind.INSTANT;
                case "json" -> ValueKind.JSON;
                case "uuid" -> ValueKind.UUID;
                default -> ValueKind.OTHER;
            };
        }

        private static String select(String column, String type, ValueKind kind) {
            if (type.equals("bit") || type.equals("year")) {
                // Their numbers: the driver reads a BIT as bytes and may read a YEAR as a date.
                return column + " + 0";
            }
            return switch (kind) {
                // FLOAT widened to DOUBLE is exact, and prints every digit the value has.
                case FLOAT -> "CAST(" + column + " AS DOUBLE)";
                // Seconds since the epoch: exact, whatever the session time zone.
                case INSTANT -> "UNIX_TIMESTAMP(" + column + ")";
                // As text from the server: MariaDB's driver builds these through java.sql types
                // in the JVM's zone, which moves a DATETIME in a DST gap by an hour.
                case DATE, TIME, DURATION, WALL_CLOCK -> "CAST(" + column + " AS CHAR)";
                case BOOLEAN,
                        INTEGER,
                        DECIMAL,
                        TEXT,
                        BYTES,
                        JSON,
                        UUID,
                        OTHER,
                        INTERVAL,
                        BITS,
                        TEXT_ARRAY ->
                        column;
            };
        }

        @Override
        public List<String> primaryKey(Connection c, TableId table) throws SQLException {
            return CatalogQuery.list(
                    c,
                    "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE"
                            + " TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME ="
                            + " 'PRIMARY' ORDER BY ORDINAL_POSITION",
                    table,
                    rs -> rs.getString(1));
        }

        @Override
        public String quote(String identifier) {
            return "`" + identifier.replace("`", "``") + "`";
        }

        @Override
        public String orderBy(String column, ValueKind kind) {
            return kind.orderedAsText()
                    ? "CONVERT(" + quote(column) + " USING utf8mb4) COLLATE utf8mb4_nopad_bin"
                    : quote(column);
        }
    }
}
