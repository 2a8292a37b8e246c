package io.siphon.engine;

/** How a run ended. */
public enum RunStatus {
    /** Every table was copied. */
    COMPLETED,
    /** Stopped on request; the next run with the same state resumes. */
    STOPPED,
    /** Stopped by an error. */
    FAILED
}
