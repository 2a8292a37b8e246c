package io.siphon.verify;

import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compares two PostgreSQL tables exactly: both are read in primary-key order (all columns when
 * there is no key), every value normalised to PostgreSQL's text form, and hashed with SHA-256. When
 * the hashes differ, the first differing rows are reported by their keys.
 *
 * <p>The text form is PostgreSQL's own output function, so two values compare equal exactly when
 * PostgreSQL would print them the same: bit-for-bit for every type it has.
 */
public final class TableComparator {

    private static final int MAX_DIFFERENCES = 5;
    private static final byte[] NULL_MARK = {(byte) 0xff, 0};

    private TableComparator() {}

    /**
     * Compares two tables; columns are matched by name, in the left table's order.
     *
     * @throws SiphonException when a table cannot be read
     */
    public static Comparison compare(
            Connection left, TableId leftTable, Connection right, TableId rightTable) {
        try {
            List<String> columns = columns(left, leftTable);
            if (columns.isEmpty()) {
                throw new SiphonException(
                        ErrorCode.TABLE_NOT_FOUND, "table " + leftTable + " does not exist");
            }
            List<String> key = primaryKey(left, leftTable);
            List<String> orderBy =
                    key.isEmpty()
                            ? columns.stream().map(c -> quote(c) + "::text COLLATE \"C\"").toList()
                            : key.stream().map(TableComparator::quote).toList();
            List<Integer> keyPositions =
                    key.isEmpty()
                            ? java.util.stream.IntStream.range(0, columns.size()).boxed().toList()
                            : key.stream().map(columns::indexOf).toList();
            boolean leftAuto = left.getAutoCommit();
            boolean rightAuto = right.getAutoCommit();
            left.setAutoCommit(false);
            right.setAutoCommit(false);
            try (Statement ls = left.createStatement();
                    Statement rs = right.createStatement()) {
                ls.setFetchSize(10_000);
                rs.setFetchSize(10_000);
                try (ResultSet l = ls.executeQuery(select(leftTable, columns, orderBy));
                        ResultSet r = rs.executeQuery(select(rightTable, columns, orderBy))) {
                    return walk(leftTable, rightTable, columns, keyPositions, l, r);
                }
            } finally {
                left.rollback();
                right.rollback();
                left.setAutoCommit(leftAuto);
                right.setAutoCommit(rightAuto);
            }
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

    private static Comparison walk(
            TableId leftTable,
            TableId rightTable,
            List<String> columns,
            List<Integer> keyPositions,
            ResultSet l,
            ResultSet r)
            throws SQLException {
        MessageDigest lh = sha256();
        MessageDigest rh = sha256();
        long leftRows = 0;
        long rightRows = 0;
        List<String> differences = new ArrayList<>();
        boolean lMore = l.next();
        boolean rMore = r.next();
        while (lMore || rMore) {
            String[] lv = lMore ? values(l, columns.size()) : null;
            String[] rv = rMore ? values(r, columns.size()) : null;
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
            lMore = lMore && l.next();
            rMore = rMore && r.next();
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
        String[] any = lv != null ? lv : rv;
        String leftKey = lv == null ? "(no more rows)" : key(keyPositions, lv);
        String rightKey = rv == null ? "(no more rows)" : key(keyPositions, rv);
        if (lv != null && rv != null && leftKey.equals(rightKey)) {
            List<String> differing = new ArrayList<>();
            for (int i = 0; i < any.length; i++) {
                if (!java.util.Objects.equals(lv[i], rv[i])) {
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

    private static String[] values(ResultSet rs, int n) throws SQLException {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            v[i] = rs.getString(i + 1);
        }
        return v;
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

    private static String select(TableId table, List<String> columns, List<String> orderBy) {
        return "SELECT "
                + columns.stream().map(c -> quote(c) + "::text").collect(Collectors.joining(", "))
                + " FROM "
                + quote(table.schema())
                + "."
                + quote(table.table())
                + " ORDER BY "
                + String.join(", ", orderBy);
    }

    private static List<String> columns(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT a.attname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                                + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ?"
                                + " AND t.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY"
                                + " a.attnum")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            return strings(ps);
        }
    }

    private static List<String> primaryKey(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                                + " JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a"
                                + " ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) WHERE"
                                + " i.indisprimary AND n.nspname = ? AND t.relname = ? ORDER BY"
                                + " array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            return strings(ps);
        }
    }

    private static List<String> strings(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String quote(String identifier) {
        return TableId.quote(identifier);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
