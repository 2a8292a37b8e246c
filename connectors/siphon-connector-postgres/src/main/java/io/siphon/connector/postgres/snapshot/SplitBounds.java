package io.siphon.connector.postgres.snapshot;

import io.siphon.connector.postgres.JsonText;
import io.siphon.connector.postgres.SqlText;
import io.siphon.model.Column;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * The two kinds of split this connector plans, and the WHERE clause that reads one.
 *
 * <ul>
 *   <li>{@value #PRIMARY_KEY}: bounds are JSON arrays of the key values' PostgreSQL text form, in
 *       key order ({@code ["42"]}, {@code ["7","2024-01-01"]}); the range is compared as a row
 *       value, {@code (a, b) >= (lower) AND (a, b) < (upper)}, in the key's own ordering.
 *   <li>{@value #CTID}: bounds are heap block numbers ({@code "1024"}); the range is {@code ctid >=
 *       '(lower,0)' AND ctid < '(upper,0)'}. For a partitioned table it applies to every partition.
 * </ul>
 *
 * A null bound is unbounded, so the first and last split together reach every row, including rows
 * on pages or with keys that appear after planning.
 */
public final class SplitBounds {

    /** Split kind for primary-key ranges. */
    public static final String PRIMARY_KEY = "pk";

    /** Split kind for physical block ranges. */
    public static final String CTID = "ctid";

    private SplitBounds() {}

    /** A primary-key bound from key values in text form. */
    public static String keyBound(List<String> keyValues) {
        return JsonText.array(keyValues);
    }

    /**
     * The WHERE clause for a split (without the keyword), or {@code TRUE} for an unbounded split.
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} when the split's bounds do not fit the
     *     table
     */
    public static String predicate(TableSchema table, SnapshotSplit split) {
        List<String> parts = new ArrayList<>(2);
        switch (split.kind()) {
            case PRIMARY_KEY -> {
                if (split.lower() != null) {
                    parts.add(keyComparison(table, split, split.lower(), ">="));
                }
                if (split.upper() != null) {
                    parts.add(keyComparison(table, split, split.upper(), "<"));
                }
            }
            case CTID -> {
                if (split.lower() != null) {
                    parts.add("ctid >= '(" + block(split, split.lower()) + ",0)'::tid");
                }
                if (split.upper() != null) {
                    parts.add("ctid < '(" + block(split, split.upper()) + ",0)'::tid");
                }
            }
            default ->
                    throw new SiphonException(
                            ErrorCode.DATA_INVALID,
                            "split "
                                    + split.id()
                                    + " has kind '"
                                    + split.kind()
                                    + "', which the postgres connector does not plan; plan the"
                                    + " table's snapshot again");
        }
        return parts.isEmpty() ? "TRUE" : String.join(" AND ", parts);
    }

    private static String keyComparison(
            TableSchema table, SnapshotSplit split, String bound, String operator) {
        List<String> key = table.primaryKey();
        List<String> values = JsonText.parseArray(bound);
        if (key.isEmpty() || values.size() != key.size()) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "split "
                            + split.id()
                            + " has "
                            + values.size()
                            + " key values but the table's primary key is "
                            + key
                            + "; plan the table's snapshot again");
        }
        List<String> columns = new ArrayList<>(key.size());
        List<String> literals = new ArrayList<>(key.size());
        for (int i = 0; i < key.size(); i++) {
            Column column = table.column(key.get(i));
            columns.add(SqlText.quote(column.name()));
            String literal = SqlText.literal(values.get(i));
            // Without a native type the literal stays untyped and takes the column's type.
            literals.add(
                    column.nativeType() == null ? literal : literal + "::" + column.nativeType());
        }
        if (key.size() == 1) {
            return columns.get(0) + " " + operator + " " + literals.get(0);
        }
        return "("
                + String.join(", ", columns)
                + ") "
                + operator
                + " ("
                + String.join(", ", literals)
                + ")";
    }

    private static long block(SnapshotSplit split, String bound) {
        try {
            return Long.parseLong(bound);
        } catch (NumberFormatException e) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "split " + split.id() + " has a ctid bound that is not a block number",
                    e);
        }
    }
}
