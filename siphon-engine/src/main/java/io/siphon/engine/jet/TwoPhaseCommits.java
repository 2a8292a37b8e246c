package io.siphon.engine.jet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which checkpoint each two-phase writer of a stream job has committed, so that the reader stores a
 * checkpoint's position only once every such writer has committed it (see {@link
 * io.siphon.spi.SinkWriter#prepareCommit()}). Checkpoints are counted by every processor alike, 1
 * for the job's first: each processor takes part in every one. Kept with the run's counters, which
 * is how the processors of one run find each other; one member only, as the counters are.
 */
final class TwoPhaseCommits {

    private final Map<Integer, Long> committed = new ConcurrentHashMap<>();

    /** A two-phase writer of a new job, by its global index: it has committed nothing yet. */
    void register(int writer) {
        committed.put(writer, 0L);
    }

    /** Notes that a writer has committed the given checkpoint. */
    void committed(int writer, long checkpoint) {
        committed.put(writer, checkpoint);
    }

    /** Whether every registered writer has committed the given checkpoint (true when none is). */
    boolean allCommitted(long checkpoint) {
        for (long c : committed.values()) {
            if (c < checkpoint) {
                return false;
            }
        }
        return true;
    }
}
