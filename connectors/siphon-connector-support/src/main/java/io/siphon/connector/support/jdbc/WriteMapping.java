package io.siphon.connector.support.jdbc;

import java.util.Objects;

/**
 * How a column of a portable type is written into a family's table.
 *
 * @param nativeType the type to declare the column with, as DDL text ({@code numeric(12,4)})
 */
public record WriteMapping(String nativeType) {

    /** Checks the type. */
    public WriteMapping {
        Objects.requireNonNull(nativeType, "nativeType");
    }
}
