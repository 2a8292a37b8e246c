package io.siphon.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a source compares a text column's values when that is not exact (code-point) equality, in the
 * terms that decide whether two values are the same key. A sink whose key comparison differs either
 * picks a target collation with the same equality or says which values may merge: a
 * case-insensitive source key copied into an exact target key is safe (the source never held two
 * values that differ only in case), the other way round two source rows may become one.
 *
 * @param name the source's collation name (for example {@code utf8mb4_0900_ai_ci}, {@code
 *     utf8mb4_bin}, {@code und-u-ks-level2})
 * @param caseSensitive whether {@code 'a'} and {@code 'A'} differ
 * @param accentSensitive whether {@code 'e'} and {@code 'é'} differ
 * @param padSpace whether trailing spaces are ignored ({@code 'a'} equals {@code 'a '}; MySQL's
 *     {@code PAD SPACE} collations)
 */
public record Collation(
        String name, boolean caseSensitive, boolean accentSensitive, boolean padSpace)
        implements Serializable {

    /** Checks the name. */
    public Collation {
        Objects.requireNonNull(name, "name");
    }

    /** Whether two values are equal exactly when their code points are (no folding at all). */
    public boolean exact() {
        return caseSensitive && accentSensitive && !padSpace;
    }
}
