package io.siphon.engine;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.transform.TransformChain;
import java.util.List;

/**
 * Where a source table's rows go and what they look like there, after the pipeline's transforms:
 * what {@code siphon validate} prints and the server's validate answer carries.
 *
 * @param source the source table
 * @param target the target table (after routing and the sink's table rule)
 * @param input the source table's schema, as the chain's first step gets it
 * @param output the rows' schema at the end of the chain, under the routed name: what the target
 *     table is created from
 * @param steps the schema after each step that applies to the table, in order; empty without
 *     transforms
 */
public record TableFlow(
        TableId source,
        TableId target,
        TableSchema input,
        TableSchema output,
        List<TransformChain.StepSchema> steps) {

    /** Copies the list. */
    public TableFlow {
        steps = List.copyOf(steps);
    }
}
