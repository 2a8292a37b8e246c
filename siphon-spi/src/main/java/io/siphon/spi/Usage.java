package io.siphon.spi;

/**
 * The side a connector plays in a pipeline; {@link Connector#check} checks what that side needs.
 */
public enum Usage {
    /** Rows are read from it (a snapshot). */
    SOURCE,
    /**
     * Rows are read from it and then its changes are streamed (change data capture): everything
     * {@link #SOURCE} needs, plus what streaming needs (PostgreSQL: {@code wal_level}, the {@code
     * REPLICATION} attribute, a free replication slot, a replica identity per table).
     */
    STREAM_SOURCE,
    /** Rows are written to it. */
    SINK
}
