package io.siphon.connector.postgres.catalog;

import io.siphon.connector.postgres.types.PgTextDecoders;
import io.siphon.connector.postgres.types.PgType;
import io.siphon.connector.postgres.types.PgTypeMapping;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads tables, columns, types and primary keys from the system catalogs. Works on a connection
 * whose {@code search_path} is empty (see {@link io.siphon.connector.postgres.PostgresEndpoint}),
 * so every type name it reports is schema-qualified where it needs to be.
 */
public final class TableCatalog {

    private static final String TABLES =
            "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    + " AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'";

    private static final String COLUMNS =
            "SELECT a.attrelid, a.attname, a.atttypid, a.atttypmod, a.attnotnull,"
                    + " pg_catalog.format_type(a.atttypid, a.atttypmod),"
                    + " CASE WHEN a.atthasmissing THEN a.attmissingval::text END,"
                    + " CASE WHEN a.attgenerated = 's'"
                    + " THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END"
                    + " FROM pg_catalog.pg_attribute a"
                    + " LEFT JOIN pg_catalog.pg_attrdef d"
                    + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attrelid = ANY (?::oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
                    + " ORDER BY a.attrelid, a.attnum";

    private static final String PRIMARY_KEYS =
            "SELECT i.indrelid, a.attname FROM pg_catalog.pg_index i"
                    + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                    + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum ="
                    + " k.attnum WHERE i.indisprimary AND i.indrelid = ANY (?::oid[])"
                    + " ORDER BY i.indrelid, k.ord";

    /** Every type the given types refer to (array elements, domain bases), transitively. */
    private static final String TYPES =
            "WITH RECURSIVE needed(oid) AS ("
                    + " SELECT unnest(?::oid[])"
                    + " UNION SELECT v.x FROM pg_catalog.pg_type t JOIN needed n ON t.oid = n.oid,"
                    + " LATERAL (VALUES (t.typelem), (t.typbasetype)) AS v(x) WHERE v.x <> 0)"
                    + " SELECT t.oid, n.nspname, t.typname, t.typtype, t.typcategory, t.typelem,"
                    + " t.typbasetype, t.typtypmod, ARRAY(SELECT e.enumlabel FROM"
                    + " pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)"
                    + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = t.typnamespace WHERE t.oid IN (SELECT oid FROM needed)";

    private TableCatalog() {}

    /**
     * Every user table (ordinary and partitioned, not the partitions of a partitioned table,
     * nothing in system schemas), ordered by name.
     */
    public static List<CatalogTable> tables(Connection c) throws SQLException {
        List<CatalogTable> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(TABLES)) {
            while (rs.next()) {
                out.add(
                        new CatalogTable(
                                rs.getLong(1), TableId.of(rs.getString(2), rs.getString(3))));
            }
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    /**
     * The tables that match a filter, described, ordered by name.
     *
     * @param defaultSchema the schema of patterns written without one
     */
    public static List<TableSchema> discover(Connection c, TableFilter filter, String defaultSchema)
            throws SQLException {
        List<CatalogTable> matching =
                tables(c).stream().filter(t -> filter.matches(t.id(), defaultSchema)).toList();
        return describe(c, matching);
    }

    /** One table by name, or null when it does not exist. */
    public static CatalogTable find(Connection c, TableId id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(TABLES + " AND n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new CatalogTable(rs.getLong(1), id) : null;
            }
        }
    }

    /** The columns (in attnum order, with types) and primary keys of tables. */
    public static List<TableSchema> describe(Connection c, List<CatalogTable> tables)
            throws SQLException {
        if (tables.isEmpty()) {
            return List.of();
        }
        String oids = oidArray(tables.stream().map(CatalogTable::oid).toList());
        Map<Long, List<RawColumn>> columns = new HashMap<>();
        Set<Long> typeOids = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RawColumn col =
                            new RawColumn(
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getInt(4),
                                    rs.getBoolean(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8));
                    columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(col);
                    typeOids.add(col.typeOid());
                }
            }
        }
        Map<Long, List<String>> keys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(PRIMARY_KEYS)) {
            ps.setString(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
        }
        Map<Long, PgType> types = types(c, typeOids);
        List<TableSchema> out = new ArrayList<>(tables.size());
        for (CatalogTable t : tables) {
            List<Column> cols = new ArrayList<>();
            for (RawColumn raw : columns.getOrDefault(t.oid(), List.of())) {
                PgType type = types.get(raw.typeOid());
                DataType dataType = PgTypeMapping.toDataType(type, raw.typmod(), types);
                String nativeType = nativeType(c, type, raw.typmod(), raw.formatted(), types);
                cols.add(
                        new Column(
                                raw.name(),
                                dataType,
                                !raw.notNull(),
                                nativeType,
                                missingValue(t.id(), raw, dataType),
                                raw.generatedExpression()));
            }
            out.add(new TableSchema(t.id(), cols, keys.getOrDefault(t.oid(), List.of())));
        }
        return out;
    }

    /**
     * The column's declared type as {@code format_type} writes it, except that a domain is replaced
     * by its base type (with the domain's modifier), because domains are carried as their base
     * type.
     *
     * @param formatted the column's {@code format_type} text, used when no domain is involved
     */
    static String nativeType(
            Connection c, PgType type, int typmod, String formatted, Map<Long, PgType> types)
            throws SQLException {
        if (type.kind() == 'd') {
            return formatWithoutDomains(c, type, typmod, types);
        }
        if (type.isArray() && types.get(type.elementOid()).kind() == 'd') {
            return formatWithoutDomains(c, types.get(type.elementOid()), typmod, types) + "[]";
        }
        return formatted;
    }

    private static String formatWithoutDomains(
            Connection c, PgType domain, int typmod, Map<Long, PgType> types) throws SQLException {
        PgType t = domain;
        int mod = typmod;
        while (t.kind() == 'd') {
            if (t.domainTypmod() >= 0) {
                mod = t.domainTypmod();
            }
            t = types.get(t.baseOid());
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_catalog.format_type(?::oid, ?)")) {
            ps.setLong(1, t.oid());
            ps.setInt(2, mod);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The given types and every type they refer to, by oid. */
    static Map<Long, PgType> types(Connection c, Set<Long> typeOids) throws SQLException {
        Map<Long, PgType> types = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(TYPES)) {
            ps.setString(1, oidArray(typeOids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array labels = rs.getArray(9);
                    PgType t =
                            new PgType(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4).charAt(0),
                                    rs.getString(5).charAt(0),
                                    rs.getLong(6),
                                    rs.getLong(7),
                                    rs.getInt(8),
                                    Arrays.asList((String[]) labels.getArray()));
                    types.put(t.oid(), t);
                }
            }
        }
        return types;
    }

    static String oidArray(java.util.Collection<Long> oids) {
        return oids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * The value that rows older than the column have for it: PostgreSQL 11+ adds a column with a
     * constant default without rewriting the table, and keeps the default as the column's missing
     * value ({@code attmissingval}, a one-element array of the column's type) that older rows read.
     * Null when the column has none (it was created with its table, added without a default, or
     * added with a volatile default, which rewrote the table).
     */
    private static Object missingValue(TableId table, RawColumn raw, DataType type) {
        if (raw.missing() == null) {
            return null;
        }
        try {
            // An array column's value is one quoted element holding the array's own text form.
            List<?> values =
                    (List<?>)
                            PgTextDecoders.arrayOf(
                                            PgTextDecoders.forType(type),
                                            PgTextDecoders.delimiterOf(type))
                                    .decode(raw.missing());
            return values.isEmpty() ? null : values.get(0);
        } catch (RuntimeException e) {
            // The value itself stays out of the message: it may be a row value.
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "Cannot read the value that rows older than column "
                            + raw.name()
                            + " of "
                            + table
                            + " have for it (its fast default, pg_attribute.attmissingval, of type "
                            + raw.formatted()
                            + ": "
                            + e.getClass().getSimpleName()
                            + "); please report this with the column's type",
                    e);
        }
    }

    private record RawColumn(
            String name,
            long typeOid,
            int typmod,
            boolean notNull,
            String formatted,
            String missing,
            String generatedExpression) {}
}
