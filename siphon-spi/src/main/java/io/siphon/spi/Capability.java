package io.siphon.spi;

/** What a connector can do; the engine checks these instead of catching "not supported". */
public enum Capability {
    /** Reads a consistent snapshot of tables: {@link Connector#snapshotSource()}. */
    SNAPSHOT_SOURCE,
    /** Streams changes after a position (change data capture). */
    STREAM_SOURCE,
    /**
     * The change stream writes watermarks into the source's log and reads splits between them
     * ({@link ChangeStream#readBetweenWatermarks}), so a table can be copied again while the stream
     * runs.
     */
    WATERMARKS,
    /** Writes rows and changes: {@link Connector#sink()}. */
    SINK,
    /** The sink has a fast path for loading empty tables ({@link WriteMode#BULK_APPEND}). */
    BULK_LOAD,
    /** The sink applies schema changes. */
    SCHEMA_CHANGES
}
