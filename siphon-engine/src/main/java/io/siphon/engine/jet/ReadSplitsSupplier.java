package io.siphon.engine.jet;

import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.core.ProcessorSupplier;
import io.siphon.spi.SnapshotSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Creates the member's readers around one shared queue of chunks, largest first. */
final class ReadSplitsSupplier implements ProcessorSupplier {

    private static final long serialVersionUID = 1L;

    private final SnapshotJob job;

    ReadSplitsSupplier(SnapshotJob job) {
        this.job = job;
    }

    @Override
    public Collection<? extends Processor> get(int count) {
        // Largest chunks first, so the run does not end waiting on one big chunk started last.
        List<SnapshotSplit> ordered = new ArrayList<>(job.splits());
        ordered.sort(Comparator.comparingLong(SnapshotSplit::estimatedRows).reversed());
        Queue<SnapshotSplit> queue = new ConcurrentLinkedQueue<>(ordered);
        List<Processor> processors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            processors.add(new ReadSplitsProcessor(job, queue));
        }
        return processors;
    }
}
