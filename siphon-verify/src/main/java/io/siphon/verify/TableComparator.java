package io.siphon.verify;

import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.SqlDialect.SourceColumn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Compares two tables exactly: both are read in primary-key order (all columns when there is no
 * key), every value normalised, and the rows hashed with SHA-256. When the hashes differ, the first
 * differing rows are reported by their keys. Works between PostgreSQL, MariaDB and MySQL tables in
 * any direction.
 *
 * <p>Between two PostgreSQL tables every value is PostgreSQL's own text form, so two values compare
 * equal exactly when PostgreSQL would print them the same: bit-for-bit for every type it has.
 *
 * <p>When either side is MariaDB or MySQL, values are compared by their meaning ({@link
 * ValueKind}): integers and decimals by value, floating-point numbers as doubles, timestamps with a
 * time zone as instants in UTC, wall-clock timestamps as they are written, JSON by structure, UUIDs
 * in lower case, booleans as 1 and 0 against MySQL's TINYINT(1). The rules, and the few that are
 * deliberately lossy, are in docs/architecture.md ("Portable verification").
 */
public final class TableComparator {

    private static final int MAX_DIFFERENCES = 5;
    private static final int FETCH_SIZE = 10_000;
    private static final byte[] NULL_MARK = {(byte) 0xff, 0};

    private TableComparator() {}

    /**
     * Compares two tables; columns are matched by name, in the left table's order, and the left
     * table's primary key orders both.
     *
     * @throws SiphonException {@link ErrorCode#TABLE_NOT_FOUND} when a table or a column is
     *     missing, {@link ErrorCode#SCHEMA_MISMATCH} when a column's values on the two sides have
     *     no common meaning, {@link ErrorCode#DATA_INVALID} when a table cannot be read
     */
    public static Comparison compare(
            Connection left, TableId leftTable, Connection right, TableId rightTable) {
        try {
            SqlDialect leftDialect = SqlDialect.of(left);
            SqlDialect rightDialect = SqlDialect.of(right);
            List<SourceColumn> leftColumns = leftDialect.columns(left, leftTable);
            if (leftColumns.isEmpty()) {
                throw new SiphonException(
                        ErrorCode.TABLE_NOT_FOUND, "table " + leftTable + " does not exist");
            }
            List<SourceColumn> rightColumns =
                    matching(leftColumns, rightDialect.columns(right, rightTable), rightTable);
            boolean strict =
                    leftDialect instanceof SqlDialect.Postgres
                            && rightDialect instanceof SqlDialect.Postgres;
            List<ValueKind> kinds = new ArrayList<>();
            for (int i = 0; i < leftColumns.size(); i++) {
                kinds.add(
                        strict
                                ? ValueKind.OTHER
                                : ValueKind.common(
                                        leftColumns.get(i).name(),
                                        leftColumns.get(i).kind(),
                                        rightColumns.get(i).kind()));
            }
            List<String> columns = leftColumns.stream().map(SourceColumn::name).toList();
            List<String> key = leftDialect.primaryKey(left, leftTable);
            List<Integer> keyPositions =
                    key.isEmpty()
                            ? IntStream.range(0, columns.size()).boxed().toList()
                            : key.stream().map(columns::indexOf).toList();
            Side l = new Side(left, leftDialect, leftTable, leftColumns, strict);
            Side r = new Side(right, rightDialect, rightTable, rightColumns, strict);
            return l.reading(
                    key,
                    keyPositions,
                    kinds,
                    lRows ->
                            r.reading(
                                    key,
                                    keyPositions,
                                    kinds,
                                    rRows ->
                                            walk(
                                                    leftTable,
                                                    rightTable,
                                                    columns,
                                                    keyPositions,
                                                    lRows,
                                                    rRows)));
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "could not compare "
                            + leftTable
                            + " with "
                            + rightTable
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The right table's columns in the left's order: by exact name, else ignoring case. */
    private static List<SourceColumn> matching(
            List<SourceColumn> leftColumns, List<SourceColumn> rightColumns, TableId rightTable) {
        List<SourceColumn> matched = new ArrayList<>();
        for (SourceColumn wanted : leftColumns) {
            SourceColumn found =
                    named(rightColumns, wanted.name(), true)
                            .or(() -> named(rightColumns, wanted.name(), false))
                            .orElseThrow(
                                    () ->
                                            new SiphonException(
                                                    ErrorCode.TABLE_NOT_FOUND,
                                                    rightColumns.isEmpty()
                                                            ? "table "
                                                                    + rightTable
                                                                    + " does not exist"
                                                            : "table "
                                                                    + rightTable
                                                                    + " has no column "
                                                                    + wanted.name()));
            matched.add(found);
        }
        return matched;
    }

    private static Optional<SourceColumn> named(
            List<SourceColumn> columns, String name, boolean exact) {
        return columns.stream()
                .filter(c -> exact ? c.name().equals(name) : c.name().equalsIgnoreCase(name))
                .findFirst();
    }

    /** Normalised rows in comparison order; null at the end. */
    private interface Rows {
        String[] next() throws SQLException;
    }

    private interface RowsConsumer<T> {
        T accept(Rows rows) throws SQLException;
    }

    /** One side of the comparison: a table and how to read it. */
    private record Side(
            Connection connection,
            SqlDialect dialect,
            TableId table,
            List<SourceColumn> columns,
            boolean strict) {

        /** Reads the table in one read-only transaction, restoring the connection afterwards. */
        <T> T reading(
                List<String> key,
                List<Integer> keyPositions,
                List<ValueKind> kinds,
                RowsConsumer<T> consumer)
                throws SQLException {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                // Cursor-based reads (PostgreSQL needs a transaction for them): memory stays flat.
                s.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = s.executeQuery(select(key, keyPositions, kinds))) {
                    Rows rows = () -> rs.next() ? values(rs, kinds) : null;
                    // Without a key, MySQL and PostgreSQL order whole rows differently: such
                    // tables are sorted here, by their normalised values, in memory.
                    return consumer.accept(key.isEmpty() && !strict ? sorted(rows) : rows);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }

        private String select(List<String> key, List<Integer> keyPositions, List<ValueKind> kinds) {
            String selected =
                    strict
                            ? columns.stream()
                                    .map(c -> dialect.quote(c.name()) + "::text")
                                    .collect(Collectors.joining(", "))
                            : columns.stream()
                                    .map(SourceColumn::select)
                                    .collect(Collectors.joining(", "));
            String sql = "SELECT " + selected + " FROM " + dialect.table(table);
            if (strict) {
                List<String> orderBy =
                        key.isEmpty()
                                ? columns.stream()
                                        .map(c -> dialect.quote(c.name()) + "::text COLLATE \"C\"")
                                        .toList()
                                : keyPositions.stream()
                                        .map(i -> dialect.quote(columns.get(i).name()))
                                        .toList();
                return sql + " ORDER BY " + String.join(", ", orderBy);
            }
            if (key.isEmpty()) {
                return sql;
            }
            return sql
                    + " ORDER BY "
                    + keyPositions.stream()
                            .map(i -> dialect.orderBy(columns.get(i).name(), kinds.get(i)))
                            .collect(Collectors.joining(", "));
        }

        private String[] values(ResultSet rs, List<ValueKind> kinds) throws SQLException {
            String[] v = new String[columns.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] =
                        strict
                                ? rs.getString(i + 1)
                                : PortableValue.read(
                                        rs, i + 1, columns.get(i).kind(), kinds.get(i));
            }
            return v;
        }
    }

    private static Rows sorted(Rows rows) throws SQLException {
        List<String[]> all = new ArrayList<>();
        for (String[] row = rows.next(); row != null; row = rows.next()) {
            all.add(row);
        }
        Comparator<String> byValue = Comparator.nullsFirst(Comparator.naturalOrder());
        all.sort((a, b) -> Arrays.compare(a, b, byValue));
        Iterator<String[]> it = all.iterator();
        return () -> it.hasNext() ? it.next() : null;
    }

    private static Comparison walk(
            TableId leftTable,
            TableId rightTable,
            List<String> columns,
            List<Integer> keyPositions,
            Rows l,
            Rows r)
            throws SQLException {
        MessageDigest lh = sha256();
        MessageDigest rh = sha256();
        long leftRows = 0;
        long rightRows = 0;
        List<String> differences = new ArrayList<>();
        String[] lv = l.next();
        String[] rv = r.next();
        while (lv != null || rv != null) {
            if (lv != null) {
                hash(lh, lv);
                leftRows++;
            }
            if (rv != null) {
                hash(rh, rv);
                rightRows++;
            }
            if (differences.size() < MAX_DIFFERENCES && !Arrays.equals(lv, rv)) {
                differences.add(describe(columns, keyPositions, lv, rv));
            }
            lv = lv == null ? null : l.next();
            rv = rv == null ? null : r.next();
        }
        return new Comparison(
                leftTable,
                rightTable,
                leftRows,
                rightRows,
                HexFormat.of().formatHex(lh.digest()),
                HexFormat.of().formatHex(rh.digest()),
                differences);
    }

    private static String describe(
            List<String> columns, List<Integer> keyPositions, String[] lv, String[] rv) {
        String keyNames = keyPositions.stream().map(columns::get).collect(Collectors.joining(", "));
        String leftKey = lv == null ? "(no more rows)" : key(keyPositions, lv);
        String rightKey = rv == null ? "(no more rows)" : key(keyPositions, rv);
        if (lv != null && rv != null && leftKey.equals(rightKey)) {
            List<String> differing = new ArrayList<>();
            for (int i = 0; i < lv.length; i++) {
                if (!Objects.equals(lv[i], rv[i])) {
                    differing.add(columns.get(i));
                }
            }
            return "(" + keyNames + ")=" + leftKey + " differs in " + differing;
        }
        return "left (" + keyNames + ")=" + leftKey + " vs right " + rightKey;
    }

    private static String key(List<Integer> keyPositions, String[] row) {
        return keyPositions.stream()
                .map(i -> String.valueOf(row[i]))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static void hash(MessageDigest digest, String[] row) {
        for (String value : row) {
            if (value == null) {
                digest.update(NULL_MARK);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                digest.update((byte) 0);
                digest.update(intBytes(bytes.length));
                digest.update(bytes);
            }
        }
        digest.update((byte) '\n');
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
