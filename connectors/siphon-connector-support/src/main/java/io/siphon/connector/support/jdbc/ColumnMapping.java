package io.siphon.connector.support.jdbc;

import io.siphon.model.DataType;
import java.util.Objects;

/**
 * How a native column type reads into Siphon.
 *
 * @param type the portable type values of the column carry
 * @param nativeName the native type's name, as a table of the same family recreates it with
 */
public record ColumnMapping(DataType type, String nativeName) {

    /** Checks both parts. */
    public ColumnMapping {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nativeName, "nativeName");
    }
}
