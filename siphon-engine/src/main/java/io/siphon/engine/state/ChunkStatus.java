package io.siphon.engine.state;

/** Whether a snapshot chunk has been written and flushed at the target. */
public enum ChunkStatus {
    /** Not yet durably written; read (again) by the next run. */
    PENDING,
    /** Durably written at the target. */
    DONE
}
