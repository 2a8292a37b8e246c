package io.siphon.server.pipeline;

/** Where a pipeline is, as the server shows it. */
public enum PipelineState {
    /** Not running. */
    STOPPED,
    /** Asked to run; its run is starting, checking and planning. */
    STARTING,
    /** Copying or streaming. */
    RUNNING,
    /** A snapshot-only pipeline copied every table. */
    COMPLETED,
    /** Stopped by an error; see its last error. */
    FAILED
}
