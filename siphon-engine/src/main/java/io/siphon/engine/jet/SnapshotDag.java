package io.siphon.engine.jet;

import com.hazelcast.jet.config.EdgeConfig;
import com.hazelcast.jet.core.DAG;
import com.hazelcast.jet.core.Edge;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.core.Vertex;

/**
 * The Jet DAG of a snapshot run: {@code parallelism} readers feeding {@code parallelism} writers
 * over an edge partitioned by chunk.
 */
public final class SnapshotDag {

    /**
     * Batches in flight per reader-writer queue. Small, because a batch holds thousands of rows:
     * this bounds memory to about {@code parallelism² × 4} batches while still letting readers run
     * ahead of writers.
     */
    private static final int QUEUE_BATCHES = 4;

    private SnapshotDag() {}

    /** Builds the DAG of a snapshot job. */
    public static DAG build(SnapshotJob job, int parallelism) {
        DAG dag = new DAG();
        Vertex read =
                dag.newVertex(
                                "read-snapshot",
                                ProcessorMetaSupplier.of(parallelism, new ReadSplitsSupplier(job)))
                        .localParallelism(parallelism);
        Vertex write =
                dag.newVertex(
                                "write-sink",
                                ProcessorMetaSupplier.of(parallelism, new WriteSinkSupplier(job)))
                        .localParallelism(parallelism);
        dag.edge(
                Edge.between(read, write)
                        .partitioned(SnapshotBatch::chunkKey)
                        .setConfig(new EdgeConfig().setQueueSize(QUEUE_BATCHES)));
        return dag;
    }
}
