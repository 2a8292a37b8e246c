package io.siphon.engine;

/** Where a run is. */
public enum RunPhase {
    /** The engine is starting the run. */
    STARTING,
    /** Connections, privileges and tables are being checked. */
    CHECKING,
    /** Target tables are prepared and snapshot chunks planned. */
    PLANNING,
    /** Chunks are being copied. */
    SNAPSHOTTING,
    /** Changes are streamed; the run goes on until it is stopped. */
    STREAMING,
    /** Every table was copied. */
    COMPLETED,
    /** Stopped on request; the next run resumes. */
    STOPPED,
    /** Stopped by an error; see {@link RunResult#error()}. */
    FAILED
}
