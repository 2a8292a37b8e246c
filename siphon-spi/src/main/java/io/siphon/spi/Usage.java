package io.siphon.spi;

/**
 * The side a connector plays in a pipeline; {@link Connector#check} checks what that side needs.
 */
public enum Usage {
    /** Rows are read from it. */
    SOURCE,
    /** Rows are written to it. */
    SINK
}
