package io.siphon.connector.support.jdbc;

import io.siphon.model.DataType;

/**
 * The type mapping of one family of systems (PostgreSQL, MySQL/MariaDB, ...), both ways, as data:
 * how a native column type reads into a {@link DataType} ({@link #toColumnMapping}) and which
 * native type a column of a {@link DataType} is created with ({@link #toWriteMapping}). Modelled on
 * Trino's {@code ColumnMapping}/{@code WriteMapping}: a connector asks its family's mapper instead
 * of carrying its own chain of type checks, and a sink of one family creates a source of another
 * family's columns through it.
 *
 * <p>The write side is key-aware: a column in the primary key may need another native type than the
 * same column outside it (MySQL indexes only a bounded prefix of {@code TEXT}, so an unbounded
 * string key becomes {@code VARCHAR(n)}; PostgreSQL keys any type as it is). A value that cannot be
 * created at all fails with {@link io.siphon.spi.ErrorCode#TYPE_UNSUPPORTED}, never silently.
 *
 * <p>Implementations are stateless and thread-safe.
 *
 * @param <N> how the family describes a native column type (PostgreSQL: the {@code pg_type} row,
 *     the type modifier and the types it refers to)
 */
public interface TypeMapper<N> {

    /** The family's name, as the connectors of it call themselves ({@code postgres}). */
    String family();

    /** How a column of this native type is read. */
    ColumnMapping toColumnMapping(N nativeType);

    /**
     * The native type a column of {@code type} is created with here, when the column did not come
     * from this family (or its native type does not exist here).
     *
     * @param type the column's portable type
     * @param role whether the column is part of the primary key
     */
    WriteMapping toWriteMapping(DataType type, ColumnRole role);
}
