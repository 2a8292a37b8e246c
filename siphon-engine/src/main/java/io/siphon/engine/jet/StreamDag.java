package io.siphon.engine.jet;

import com.hazelcast.jet.config.EdgeConfig;
import com.hazelcast.jet.core.DAG;
import com.hazelcast.jet.core.Edge;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.core.Vertex;

/**
 * The Jet DAG of a streaming run: one reader per part of the source's stream (one for a stream that
 * is one ordered sequence, {@link StreamJob#readers()} for a source that splits its stream so that
 * each row's changes are in one part) feeding {@code parallelism} writers over an edge partitioned
 * by table, so each table's changes from each reader stay in order while tables are written in
 * parallel.
 */
public final class StreamDag {

    private static final int QUEUE_BATCHES = 64;

    private StreamDag() {}

    /** Builds the DAG of a stream job. */
    public static DAG build(StreamJob job, int parallelism) {
        DAG dag = new DAG();
        Vertex read =
                dag.newVertex(
                                "read-stream",
                                ProcessorMetaSupplier.of(
                                        job.readers(),
                                        (com.hazelcast.function.SupplierEx<
                                                        com.hazelcast.jet.core.Processor>)
                                                () -> new StreamReadProcessor(job)))
                        .localParallelism(job.readers());
        Vertex write =
                dag.newVertex(
                                "write-changes",
                                ProcessorMetaSupplier.of(
                                        parallelism,
                                        (com.hazelcast.function.SupplierEx<
                                                        com.hazelcast.jet.core.Processor>)
                                                () -> new WriteChangesProcessor(job)))
                        .localParallelism(parallelism);
        dag.edge(
                Edge.between(read, write)
                        .partitioned(ChangeBatch::tableKey)
                        .setConfig(new EdgeConfig().setQueueSize(QUEUE_BATCHES)));
        return dag;
    }
}
