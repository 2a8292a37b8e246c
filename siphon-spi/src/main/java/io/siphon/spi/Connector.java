package io.siphon.spi;

import io.siphon.model.TableSchema;
import java.util.List;
import java.util.Set;

/**
 * A configured connection to one system. Created by {@link ConnectorFactory#create}; used by one
 * thread at a time (see the package docs). Closing it closes every server connection it opened.
 */
public interface Connector extends AutoCloseable {

    /** What this connector can do. Called on any thread; must not connect. */
    Set<Capability> capabilities();

    /**
     * Connects and checks everything a pipeline will need on this side: reachability, credentials,
     * privileges, server settings, and (as a source) that the tables exist and can be read. Called
     * on the driver thread by {@code siphon validate} and before a run.
     *
     * @return every problem found, each with its fix; empty when all is well. Never throws for a
     *     problem it can describe.
     */
    List<Problem> check(Usage usage, TableFilter tables);

    /**
     * The tables matching the filter, with their columns, types and primary keys, ordered by name.
     * Called on the driver thread.
     *
     * @throws SiphonException when the server cannot be reached or read
     */
    List<TableSchema> discover(TableFilter filter);

    /**
     * What an administrator runs, once, so that this connector can play {@code usage} for a
     * pipeline with these tables, as statements of the system's own language (PostgreSQL: the role,
     * grants, publication and replica identities), each preceded by comment lines that say why.
     * Lists the tables themselves when it can see them, else works from the patterns. Empty when
     * the system needs nothing set up. Caller's thread.
     *
     * @param usage the side the connector plays
     * @param pipeline the pipeline's name (objects may be named after it)
     * @param tables the tables the pipeline takes (for a sink: the target tables)
     */
    default List<String> setupScript(Usage usage, String pipeline, TableFilter tables) {
        return List.of();
    }

    /**
     * The snapshot reading side. Only called when {@link Capability#SNAPSHOT_SOURCE} is present.
     */
    SnapshotSource snapshotSource();

    /**
     * The change-data-capture side. Only called when {@link Capability#STREAM_SOURCE} is present.
     */
    StreamSource streamSource();

    /** The writing side. Only called when {@link Capability#SINK} is present. */
    Sink sink();

    /**
     * Closes every connection this connector opened. Does not throw for a connection already gone.
     */
    @Override
    void close();
}
