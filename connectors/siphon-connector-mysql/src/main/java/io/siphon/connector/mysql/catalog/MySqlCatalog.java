package io.siphon.connector.mysql.catalog;

import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.connector.mysql.types.MySqlColumnType;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.TableFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads tables from {@code information_schema}: a database plays the part of a schema, so the table
 * {@code orders} of the database {@code shop} is {@code TableId("shop", "orders")}. System
 * databases and the {@code siphon} database (where sinks keep their bookkeeping) are never listed.
 */
public final class MySqlCatalog {

    /** Databases that hold no user tables. */
    private static final Set<String> SYSTEM =
            Set.of("mysql", "information_schema", "performance_schema", "sys", "siphon");

    private MySqlCatalog() {}

    /** The base tables matching a filter, with columns and primary keys, ordered by name. */
    public static List<TableSchema> discover(
            Connection c, TableFilter filter, String defaultDatabase, MySqlTypeMapper types)
            throws SQLException {
        List<TableId> ids = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                                        + " WHERE TABLE_TYPE = 'BASE TABLE'"
                                        + " ORDER BY TABLE_SCHEMA, TABLE_NAME");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableId id = TableId.of(rs.getString(1), rs.getString(2));
                if (!SYSTEM.contains(id.schema()) && filter.matches(id, defaultDatabase)) {
                    ids.add(id);
                }
            }
        }
        List<TableSchema> out = new ArrayList<>(ids.size());
        for (TableId id : ids) {
            TableSchema schema = describe(c, id, types);
            if (schema != null) {
                out.add(schema);
            }
        }
        return out;
    }

    /** One table's columns and primary key; null when it does not exist. */
    public static TableSchema describe(Connection c, TableId id, MySqlTypeMapper types)
            throws SQLException {
        Set<String> json = types.flavor() == ServerFlavor.MARIADB ? jsonChecked(c, id) : Set.of();
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,"
                                + " GENERATION_EXPRESSION FROM information_schema.COLUMNS"
                                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                                + " ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    MySqlColumnType type =
                            new MySqlColumnType(
                                    rs.getString(2), rs.getString(3), json.contains(name));
                    String generated = rs.getString(5);
                    columns.add(
                            new Column(
                                    name,
                                    types.toColumnMapping(type).type(),
                                    "YES".equals(rs.getString(4)),
                                    type.columnType(),
                                    null,
                                    generated == null || generated.isEmpty() ? null : generated));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        return new TableSchema(id, columns, primaryKey(c, id));
    }

    /** The columns of the primary key, in key order; empty when the table has none. */
    public static List<String> primaryKey(Connection c, TableId id) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                                + " AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /**
     * The unique indexes of a table (the primary key among them), each as its columns in index
     * order, by index name.
     */
    public static Map<String, List<String>> uniqueIndexes(Connection c, TableId id)
            throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
                                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0"
                                + " ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * The columns MariaDB declared {@code JSON}: it stores them as {@code longtext} with the check
     * {@code json_valid(`column`)}, which is the only trace of the declaration.
     */
    private static Set<String> jsonChecked(Connection c, TableId id) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                                + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String clause = rs.getString(1);
                    if (clause.startsWith("json_valid(`") && clause.endsWith("`)")) {
                        out.add(clause.substring(12, clause.length() - 2).replace("``", "`"));
                    }
                }
            }
        }
        return out;
    }
}
