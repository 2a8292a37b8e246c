package io.siphon.verify;

import io.siphon.model.TableId;
import java.util.List;

/**
 * The result of comparing two tables.
 *
 * @param left the left table
 * @param right the right table
 * @param leftRows rows on the left
 * @param rightRows rows on the right
 * @param leftHash SHA-256 over the left's ordered, normalised rows
 * @param rightHash SHA-256 over the right's ordered, normalised rows
 * @param differences the first differing rows, described by their keys; empty when equal
 */
public record Comparison(
        TableId left,
        TableId right,
        long leftRows,
        long rightRows,
        String leftHash,
        String rightHash,
        List<String> differences) {

    /** Copies the list. */
    public Comparison {
        differences = List.copyOf(differences);
    }

    /** Whether both tables hold the same rows. */
    public boolean equal() {
        return leftRows == rightRows && leftHash.equals(rightHash);
    }

    /** One line for humans: equal with the count and hash, or the first differences. */
    @Override
    public String toString() {
        if (equal()) {
            return left + " = " + right + " (" + leftRows + " rows, sha256 " + leftHash + ")";
        }
        return left
                + " ("
                + leftRows
                + " rows) != "
                + right
                + " ("
                + rightRows
                + " rows): "
                + String.join("; ", differences);
    }
}
