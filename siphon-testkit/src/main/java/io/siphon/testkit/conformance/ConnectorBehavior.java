package io.siphon.testkit.conformance;

import io.siphon.spi.Capability;

/**
 * What a connector under test can do, as the conformance suites ask it (Trino's {@code
 * TestingConnectorBehavior}). A test that needs a behaviour the connector lacks is skipped, and the
 * skip names the behaviour: it never passes without running.
 *
 * <p>A behaviour is present when the connector declares its {@link #capability()} (if any), its
 * {@link #requires()} behaviour is present, and the test class's {@link
 * ConnectorUnderTest#hasBehavior} does not say otherwise.
 */
public enum ConnectorBehavior {
    /** Reads a consistent snapshot of tables. */
    SNAPSHOT(Capability.SNAPSHOT_SOURCE, null),
    /** Splits a table's snapshot into several chunks that are read (and resumed) one by one. */
    CHUNKED_SNAPSHOT(null, SNAPSHOT),
    /**
     * Reads the type matrix the test class provides ({@link SourceConformanceSuite#typeMatrix}).
     */
    TYPE_MATRIX(null, SNAPSHOT),
    /** Streams data changes after a position. */
    STREAM(Capability.STREAM_SOURCE, null),
    /** Streams (as a source) or applies (as a sink) a {@code TRUNCATE}. */
    TRUNCATE(null, null),
    /** Carries an update that changes the primary key. */
    KEY_CHANGE(null, null),
    /** Reads, streams or writes tables without a primary key. */
    KEYLESS_TABLES(null, null),
    /** Reports (source) or applies (sink) an added column. */
    ADD_COLUMN(null, null),
    /** Reports or applies a dropped column. */
    DROP_COLUMN(null, null),
    /** Reports or applies a renamed column. */
    RENAME_COLUMN(null, null),
    /** Applies a widening type change of a column (sink). */
    WIDEN_COLUMN(null, null),
    /** Streams a table added to the pipeline when the stream resumes with it (source). */
    NEW_TABLE(null, STREAM),
    /** Writes rows and changes. */
    SINK(Capability.SINK, null),
    /** Loads empty tables on a fast path. */
    BULK_LOAD(Capability.BULK_LOAD, SINK),
    /** Applies schema changes at the target. */
    SINK_SCHEMA_CHANGES(Capability.SCHEMA_CHANGES, SINK),
    /**
     * Discards what a writer did not flush when it is closed (a sink with transactions), so that a
     * crash before a flush leaves the target as it was.
     */
    TRANSACTIONAL_WRITES(null, SINK),
    /**
     * Records what a pipeline's writer committed at the target and skips it on replay ({@link
     * io.siphon.spi.SinkWriter#exactlyOnce()}, checked as well).
     */
    EXACTLY_ONCE(null, SINK),
    /** Reads back what the sink wrote through the connector's own snapshot source. */
    READ_BACK(Capability.SNAPSHOT_SOURCE, SINK);

    private final Capability capability;
    private final ConnectorBehavior requires;

    ConnectorBehavior(Capability capability, ConnectorBehavior requires) {
        this.capability = capability;
        this.requires = requires;
    }

    /** The capability the connector must declare for this behaviour, or null for none. */
    public Capability capability() {
        return capability;
    }

    /** The behaviour this one builds on, or null. */
    public ConnectorBehavior requires() {
        return requires;
    }
}
