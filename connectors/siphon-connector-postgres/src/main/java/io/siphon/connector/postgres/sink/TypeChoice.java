package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.types.PgTypeMapping;
import io.siphon.model.Column;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How the sink picks the type of a column it creates: the user's override from {@code column-types}
 * first, then the column's native type where that is wanted (and, when created, exists here), else
 * {@link PgTypeMapping}'s portable mapping.
 *
 * @param nativeType whether a column gets its native type
 * @param overrides the target table's overrides, column name to type declaration
 */
record TypeChoice(Predicate<Column> nativeType, Map<String, String> overrides) {

    /** Copies the overrides. */
    TypeChoice {
        overrides = Map.copyOf(overrides);
    }

    /** Native types for every column or none, with a table's overrides. */
    static TypeChoice of(boolean nativeTypes, Map<String, String> overrides) {
        return new TypeChoice(column -> nativeTypes, overrides);
    }

    /** The user's type for the column, or null. */
    String override(Column column) {
        return overrides.get(column.name());
    }

    /**
     * The declaration the column gets, without asking the target whether a native type exists: for
     * the statements that messages suggest.
     */
    String declared(Column column) {
        String override = override(column);
        if (override != null) {
            return override;
        }
        return nativeType.test(column) && column.nativeType() != null
                ? column.nativeType()
                : PgTypeMapping.toPostgresType(column.type());
    }
}
