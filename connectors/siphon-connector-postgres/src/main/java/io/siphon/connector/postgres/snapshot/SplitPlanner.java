package io.siphon.connector.postgres.snapshot;

import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.catalog.CatalogTable;
import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.model.DataType;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Splits a table into chunks of about {@code chunkRows} rows (see {@link SplitBounds} for the two
 * kinds). Correctness never depends on the estimates: the first split is unbounded below, the last
 * unbounded above, and the bounds in between are strictly increasing, so the splits cover every row
 * exactly once whatever the table holds when it is read. The estimates only decide how even the
 * chunks are.
 *
 * <p>Boundaries of a single integer key are spread evenly between its minimum and maximum (two
 * index look-ups) when the keys are dense enough; other keys take every {@code chunkRows}-th key in
 * key order (an index-order scan), or, for large tables, quantiles of a block sample.
 */
public final class SplitPlanner {

    /** Tables up to this many blocks (8 MB) are counted exactly when they have no statistics. */
    private static final long EXACT_COUNT_MAX_PAGES = 1_000;

    /** Up to this many rows, key boundaries come from an exact scan in key order. */
    private static final long EXACT_BOUNDARIES_MAX_ROWS = 2_000_000;

    /** Integer keys sparser than this many values per row are split by quantiles instead. */
    private static final long MAX_KEY_SPREAD = 1_000;

    private static final long SAMPLE_ROWS = 20_000;

    private SplitPlanner() {}

    /**
     * Plans the splits of a table.
     *
     * @throws SQLException when a catalog or planning query fails
     * @throws SiphonException {@link ErrorCode#TABLE_NOT_FOUND} when the table does not exist
     */
    public static List<SnapshotSplit> plan(Connection c, TableSchema table, int chunkRows)
            throws SQLException {
        return plan(c, table, chunkRows, EXACT_BOUNDARIES_MAX_ROWS);
    }

    /**
     * Plans the splits of a table, taking key boundaries from a sample above {@code
     * exactBoundariesMaxRows} estimated rows (tests lower it to reach the sampling path).
     */
    static List<SnapshotSplit> plan(
            Connection c, TableSchema table, int chunkRows, long exactBoundariesMaxRows)
            throws SQLException {
        CatalogTable entry = TableCatalog.find(c, table.id());
        if (entry == null) {
            throw new SiphonException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "table " + table.id() + " does not exist any more; check 'tables'");
        }
        Size size = size(c, entry);
        String kind = table.hasPrimaryKey() ? SplitBounds.PRIMARY_KEY : SplitBounds.CTID;
        int chunk = Math.max(1, chunkRows);
        long splits = Math.max(1, (size.rows + chunk - 1) / chunk);
        if (splits == 1) {
            return List.of(new SnapshotSplit(table.id(), 0, kind, null, null, size.rows));
        }
        List<String> boundaries =
                table.hasPrimaryKey()
                        ? keyBoundaries(c, table, size.rows, splits, chunk, exactBoundariesMaxRows)
                        : blockBoundaries(size.pages, splits);
        List<SnapshotSplit> out = new ArrayList<>(boundaries.size() + 1);
        long perSplit = size.rows / (boundaries.size() + 1);
        for (int i = 0; i <= boundaries.size(); i++) {
            String lower = i == 0 ? null : boundaries.get(i - 1);
            String upper = i == boundaries.size() ? null : boundaries.get(i);
            out.add(new SnapshotSplit(table.id(), i, kind, lower, upper, perSplit));
        }
        return out;
    }

    /** Rows (estimated) and heap blocks (exact) now; for a partitioned table, over its leaves. */
    private record Size(long rows, long pages) {}

    private static Size size(Connection c, CatalogTable table) throws SQLException {
        String sql =
                "WITH leaves AS (SELECT relid AS oid FROM pg_catalog.pg_partition_tree(?::oid)"
                        + " WHERE isleaf UNION SELECT ?::oid)"
                        + " SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8,"
                        + " coalesce(bool_or(c.reltuples < 0 OR c.relpages = 0), true),"
                        + " coalesce(sum(c.relpages), 0),"
                        + " coalesce(max(pg_catalog.pg_relation_size(c.oid)), 0)"
                        + " / current_setting('block_size')::int8,"
                        + " coalesce(sum(pg_catalog.pg_relation_size(c.oid)), 0)"
                        + " / current_setting('block_size')::int8"
                        + " FROM pg_catalog.pg_class c JOIN leaves l ON l.oid = c.oid"
                        + " WHERE c.relkind <> 'p'";
        double reltuples;
        boolean noStats;
        long relpages;
        long maxPages;
        long totalPages;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, table.oid());
            ps.setLong(2, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                reltuples = rs.getDouble(1);
                noStats = rs.getBoolean(2);
                relpages = rs.getLong(3);
                maxPages = rs.getLong(4);
                totalPages = rs.getLong(5);
            }
        }
        if (totalPages == 0) {
            return new Size(0, 0);
        }
        long rows;
        if (!noStats) {
            // Statistics are from the last VACUUM/ANALYZE; scale their density to today's size.
            rows = Math.round(reltuples / relpages * totalPages);
        } else if (totalPages <= EXACT_COUNT_MAX_PAGES) {
            rows = single(c, "SELECT count(*) FROM " + SqlText.quote(table.id()));
        } else {
            double percent = Math.min(100.0, 100.0 * 200 / totalPages);
            long sampled =
                    single(
                            c,
                            "SELECT count(*) FROM "
                                    + SqlText.quote(table.id())
                                    + " TABLESAMPLE SYSTEM ("
                                    + percent
                                    + ")");
            rows = Math.round(sampled * 100.0 / percent);
        }
        return new Size(rows, maxPages);
    }

    private static List<String> blockBoundaries(long pages, long splits) {
        List<String> out = new ArrayList<>();
        if (pages <= 1) {
            return out;
        }
        long perSplit = Math.max(1, (pages + splits - 1) / splits);
        for (long b = perSplit; b < pages; b += perSplit) {
            out.add(Long.toString(b));
        }
        return out;
    }

    private static List<String> keyBoundaries(
            Connection c,
            TableSchema table,
            long rows,
            long splits,
            int chunk,
            long exactBoundariesMaxRows)
            throws SQLException {
        List<String> key = table.primaryKey();
        String from = " FROM " + SqlText.quote(table.id());
        if (key.size() == 1 && isInteger(table.column(key.get(0)).type())) {
            String k = SqlText.quote(key.get(0));
            try (Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT min(" + k + ")::text, max(" + k + ")::text" + from)) {
                rs.next();
                if (rs.getString(1) == null) {
                    return List.of();
                }
                BigInteger min = new BigInteger(rs.getString(1));
                BigInteger max = new BigInteger(rs.getString(2));
                BigInteger span = max.subtract(min).add(BigInteger.ONE);
                if (span.compareTo(BigInteger.valueOf(Math.max(rows, 1) * MAX_KEY_SPREAD)) <= 0) {
                    return evenIntegerBoundaries(min, span, splits);
                }
            }
        }
        String keyText =
                key.stream()
                        .map(k -> SqlText.quote(k) + "::text")
                        .collect(Collectors.joining(", "));
        String orderBy = SqlText.quoteAll(key);
        if (rows <= exactBoundariesMaxRows) {
            String sql =
                    "SELECT "
                            + keyText
                            + " FROM (SELECT "
                            + orderBy
                            + ", row_number() OVER (ORDER BY "
                            + orderBy
                            + ") AS siphon_rn"
                            + from
                            + ") s WHERE siphon_rn > 1 AND (siphon_rn - 1) % "
                            + chunk
                            + " = 0 ORDER BY siphon_rn";
            return distinct(keyRows(c, sql, key.size()));
        }
        double percent = Math.min(100.0, 100.0 * SAMPLE_ROWS / rows);
        List<String> sample =
                keyRows(
                        c,
                        "SELECT "
                                + keyText
                                + from
                                + " TABLESAMPLE SYSTEM ("
                                + percent
                                + ") ORDER BY "
                                + orderBy,
                        key.size());
        List<String> out = new ArrayList<>();
        for (long i = 1; i < splits && !sample.isEmpty(); i++) {
            out.add(sample.get((int) (i * sample.size() / splits)));
        }
        return distinct(out);
    }

    private static List<String> evenIntegerBoundaries(
            BigInteger min, BigInteger span, long splits) {
        List<String> out = new ArrayList<>();
        BigInteger n = BigInteger.valueOf(splits);
        for (long i = 1; i < splits; i++) {
            BigInteger b = min.add(span.multiply(BigInteger.valueOf(i)).divide(n));
            out.add(SplitBounds.keyBound(List.of(b.toString())));
        }
        return distinct(out);
    }

    /** Drops repeated boundaries, which would make empty splits. */
    private static List<String> distinct(List<String> boundaries) {
        List<String> out = new ArrayList<>(boundaries.size());
        for (String b : boundaries) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(b)) {
                out.add(b);
            }
        }
        return out;
    }

    private static List<String> keyRows(Connection c, String sql, int keyColumns)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>(keyColumns);
                    for (int i = 1; i <= keyColumns; i++) {
                        values.add(rs.getString(i));
                    }
                    out.add(SplitBounds.keyBound(values));
                }
            }
        }
        return out;
    }

    private static boolean isInteger(DataType type) {
        return type instanceof DataType.Int16
                || type instanceof DataType.Int32
                || type instanceof DataType.Int64;
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
