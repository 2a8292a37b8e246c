package io.siphon.testkit.conformance;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;

/**
 * What the conformance suites need to know of a connector and its server: one object per connector
 * module, handed to both {@link SourceConformanceSuite} and {@link SinkConformanceSuite} by their
 * {@link ConformanceSuite#underTest()}.
 *
 * <p>The SQL the suites run is plain SQL that every relational family accepts ({@code CREATE
 * TABLE}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code TRUNCATE TABLE}, {@code ALTER
 * TABLE ... ADD/DROP/RENAME COLUMN}) on lower-case names, with the column types from {@link
 * #nativeType} and table names from {@link #sqlName}.
 */
public interface ConnectorUnderTest {

    /**
     * The embedded SQL server of the test class, running; the suites run SQL on it. A sink whose
     * target speaks no SQL (OpenSearch) has none: the sink suite never asks for it.
     */
    default EmbeddedServer server() {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " has no SQL server for the suites to run SQL on");
    }

    /** Creates a new empty database with a unique name starting with {@code prefix}. */
    String createDatabase(String prefix);

    /**
     * A connector to a database, configured for tests (short timeouts; no heartbeats, so that the
     * stream carries only the test's changes). The test closes it.
     */
    Connector connector(String database);

    /** The schema part of the {@link TableId} of a table created in {@code database}. */
    String schemaOf(String database);

    /**
     * The native type to declare a test column of {@code type} with. The suites ask for {@link
     * DataType.Int32}, {@link DataType.Int64} and an unbounded {@link DataType.StringType}.
     */
    String nativeType(DataType type);

    /** How SQL names a table; by default its {@link TableId#toString()} form. */
    default String sqlName(TableId table) {
        return table.toString();
    }

    /**
     * Whether the connector has a behaviour, as far as its tests know; true by default. Override
     * with a switch that says false for what the connector cannot do (the capability flags are
     * checked as well, see {@link ConnectorBehavior}).
     */
    default boolean hasBehavior(ConnectorBehavior behavior) {
        return true;
    }
}
