package io.siphon.engine.jet;

import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.core.ProcessorSupplier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Creates the member's sink writers. */
final class WriteSinkSupplier implements ProcessorSupplier {

    private static final long serialVersionUID = 1L;

    private final SnapshotJob job;

    WriteSinkSupplier(SnapshotJob job) {
        this.job = job;
    }

    @Override
    public Collection<? extends Processor> get(int count) {
        List<Processor> processors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            processors.add(new WriteSinkProcessor(job));
        }
        return processors;
    }
}
