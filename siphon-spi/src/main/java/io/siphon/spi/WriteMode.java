package io.siphon.spi;

/** How a sink writes a batch of rows. */
public enum WriteMode {
    /**
     * Append without looking at what is there: the fastest path (PostgreSQL {@code COPY}), used
     * only for tables that were empty when the run began and that no earlier run wrote to.
     */
    BULK_APPEND,
    /**
     * Insert or replace by primary key, so that writing a row twice leaves one row. For a table
     * without a key, a row is inserted only when no identical row exists.
     */
    UPSERT
}
