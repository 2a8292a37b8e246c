package io.siphon.engine.transform;

import io.siphon.engine.spec.SinkSpec;
import io.siphon.engine.spec.TransformSpec;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.transform.TransformChain;
import java.util.List;

/**
 * A pipeline's transforms, created once per thread that runs them (the driver, a reader or a writer
 * processor), with the sink's naming rule: what binds a source table's chain and names the target
 * table its rows go to.
 *
 * <p>The target of a table is the sink's {@code table} rule applied to the name the chain gives it
 * (its last {@code route}, or the source name when nothing routes it).
 */
public final class Chains {

    private final List<TransformChain.Step> steps;
    private final SinkSpec sink;

    private Chains(List<TransformChain.Step> steps, SinkSpec sink) {
        this.steps = steps;
        this.sink = sink;
    }

    /**
     * The operators of {@code transforms}, created from their configurations.
     *
     * @throws io.siphon.spi.SiphonException an operator that cannot be created, named
     */
    public static Chains of(List<TransformSpec> transforms, SinkSpec sink) {
        return new Chains(TransformRegistry.installed().steps(transforms), sink);
    }

    /** Whether the pipeline has no transforms: every table's rows pass as they are. */
    public boolean none() {
        return steps.isEmpty();
    }

    /**
     * The chain of a source table bound to its schema.
     *
     * @throws io.siphon.spi.SiphonException {@link io.siphon.spi.ErrorCode#TRANSFORM_INVALID}
     *     naming the step that does not fit the table and why
     */
    public TransformChain bind(TableSchema source) {
        return TransformChain.bind(steps, source);
    }

    /** The target table of a bound chain's rows. */
    public TableId targetOf(TransformChain chain) {
        return sink.targetOf(chain.outputSchema().id());
    }

    /** Whether the chain sends its table's rows under another name than the source's. */
    public static boolean routed(TransformChain chain) {
        return !chain.outputSchema().id().equals(chain.inputSchema().id());
    }
}
