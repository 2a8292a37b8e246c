package io.siphon.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.siphon.model.ChangeEvent;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Connector;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.TableFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * What the source and sink suites share: the hooks a connector's test class fills in, the behaviour
 * flags, and small steps the tests are written in. A connector's test class extends {@link
 * SourceConformanceSuite} or {@link SinkConformanceSuite}, starts its embedded server once per
 * class (a JUnit extension), and answers the hooks for its dialect.
 *
 * <p>Every test creates its own database ({@link #createDatabase}), so tests share the server but
 * nothing else. Tables are named in lower case without quotes, and the SQL the suites run is plain
 * SQL that every relational family accepts ({@code CREATE TABLE}, {@code INSERT}, {@code UPDATE},
 * {@code DELETE}, {@code TRUNCATE TABLE}, {@code ALTER TABLE ... ADD/DROP/RENAME COLUMN}), with the
 * column types from {@link #nativeType} and table names from {@link #sqlName}.
 */
public abstract class ConformanceSuite {

    /** How long a test waits for changes to arrive: generous, as the build machine is shared. */
    protected static final Duration WAIT = Duration.ofSeconds(90);

    /** The connector and server under test; the same object may serve both suites. */
    protected abstract ConnectorUnderTest underTest();

    /** Creates a new empty database for one test. */
    protected final String createDatabase(String prefix) {
        return underTest().createDatabase(prefix);
    }

    /** A connector to a database; the test closes it. */
    protected final Connector connector(String database) {
        return underTest().connector(database);
    }

    /** How SQL names a table. */
    protected final String sqlName(TableId table) {
        return underTest().sqlName(table);
    }

    /** The native type of a test column. */
    protected final String nativeType(DataType type) {
        return underTest().nativeType(type);
    }

    /** Skips the calling test, naming the behaviour, unless the connector has it. */
    protected final void require(Connector connector, ConnectorBehavior behavior) {
        assumeTrue(
                has(connector, behavior),
                () ->
                        connector.getClass().getSimpleName()
                                + " lacks "
                                + behavior
                                + ": this conformance test does not apply");
    }

    /**
     * Whether the connector has a behaviour: its capability, what it builds on, the class's say.
     */
    protected final boolean has(Connector connector, ConnectorBehavior behavior) {
        return underTest().hasBehavior(behavior)
                && (behavior.capability() == null
                        || connector.capabilities().contains(behavior.capability()))
                && (behavior.requires() == null || has(connector, behavior.requires()));
    }

    /** Runs statements in a database, each auto-committed. */
    protected final void execute(String database, String... sql) {
        underTest().server().execute(database, sql);
    }

    /** The id of a table named {@code name} in a database. */
    protected final TableId table(String database, String name) {
        return TableId.of(underTest().schemaOf(database), name);
    }

    /** {@code CREATE TABLE} of columns {@code id int, name text, qty int}, keyed by id or not. */
    protected final String createItems(TableId table, boolean keyed) {
        String integer = nativeType(new DataType.Int32());
        return "CREATE TABLE "
                + sqlName(table)
                + " (id "
                + integer
                + (keyed ? " PRIMARY KEY" : " NOT NULL")
                + ", name "
                + nativeType(DataType.StringType.unbounded())
                + ", qty "
                + integer
                + ")";
    }

    /** The schema of one table, as the connector discovers it. */
    protected static TableSchema discover(Connector connector, TableId table) {
        List<TableSchema> found =
                connector.discover(
                        TableFilter.of(
                                List.of(
                                        TableId.quote(table.schema())
                                                + "."
                                                + TableId.quote(table.table())),
                                List.of()));
        assertThat(found).as("tables discovered as %s", table).hasSize(1);
        return found.get(0);
    }

    /** Reads the given splits of a table at a read point, each split with its own reader. */
    protected static List<Row> readSplits(
            Connector connector, TableSchema table, List<SnapshotSplit> splits, String token) {
        List<Row> rows = new ArrayList<>();
        SnapshotSource snapshot = connector.snapshotSource();
        for (SnapshotSplit split : splits) {
            try (SplitReader reader = snapshot.openSplit(table, split, token, 500)) {
                for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
                    assertThat(batch.table()).isEqualTo(table.id());
                    rows.addAll(batch.rows());
                }
            }
        }
        return rows;
    }

    /** Every row of a table, read through the connector's snapshot at one read point. */
    protected static List<Row> snapshot(Connector connector, TableSchema table, int chunkRows) {
        SnapshotSource snapshot = connector.snapshotSource();
        try (ReadPoint point = snapshot.openReadPoint()) {
            return readSplits(
                    connector, table, snapshot.planSplits(table, chunkRows), point.token());
        }
    }

    /** Rows ordered by their first value, an integer id. */
    protected static List<Row> byId(List<Row> rows) {
        return rows.stream()
                .sorted(Comparator.comparing(r -> ((Number) r.get(0)).longValue()))
                .toList();
    }

    /**
     * Rows as lists of values that compare by content all the way down: {@link Row#equals} compares
     * arrays by content, but a list value (an SQL array) holding {@code byte[]} elements compares
     * them by identity.
     */
    protected static List<List<Object>> comparable(List<Row> rows) {
        return rows.stream().map(r -> byContent(Arrays.asList(r.values()))).toList();
    }

    private static List<Object> byContent(List<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(
                    switch (v) {
                        case byte[] bytes -> "bytes " + HexFormat.of().formatHex(bytes);
                        case List<?> list -> byContent(list);
                        case null -> null;
                        default -> v;
                    });
        }
        return out;
    }

    /** Polls until at least {@code count} events arrived. */
    protected static List<ChangeEvent> poll(ChangeStream stream, int count) {
        List<ChangeEvent> events = new ArrayList<>();
        await().atMost(WAIT)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> {
                            events.addAll(stream.poll(Duration.ofMillis(200)));
                            return events.size() >= count;
                        });
        return events;
    }
}
