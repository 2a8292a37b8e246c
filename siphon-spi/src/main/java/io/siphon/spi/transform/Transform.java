package io.siphon.spi.transform;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;

/**
 * One configured operator, not yet bound to a table. Immutable and thread-safe: any thread may call
 * its methods, many at once.
 */
public interface Transform {

    /**
     * Whether the operator acts on a table. A table it does not apply to passes through unchanged.
     * Patterns (see {@link TransformOptions#TABLES}) match the table's name as it reaches this
     * operator, that is after any earlier {@code route} in the chain.
     *
     * <p>Called by the thread that binds the chain, once per table and schema.
     */
    boolean appliesTo(TableId table);

    /**
     * Binds the operator to one table's current schema: resolves columns, compiles expressions and
     * derives the output schema. Called at pipeline start (and by {@code siphon validate}) and
     * again after every schema change of the table, by the thread that will use the result.
     *
     * @param input the schema of the rows that reach this operator (the source schema, or the
     *     output schema of the previous operator in the chain)
     * @return the bound operator, to be used by the calling thread only
     * @throws io.siphon.spi.SiphonException {@link io.siphon.spi.ErrorCode#TRANSFORM_INVALID} when
     *     the operator does not fit the table: an unknown column (the message lists those that
     *     exist), an expression that does not compile (with its text and position), a cast that
     *     cannot be made
     */
    BoundTransform bind(TableSchema input);
}
