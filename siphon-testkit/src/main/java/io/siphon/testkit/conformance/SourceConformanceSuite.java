package io.siphon.testkit.conformance;

import static io.siphon.testkit.conformance.ConnectorBehavior.ADD_COLUMN;
import static io.siphon.testkit.conformance.ConnectorBehavior.CHUNKED_SNAPSHOT;
import static io.siphon.testkit.conformance.ConnectorBehavior.DROP_COLUMN;
import static io.siphon.testkit.conformance.ConnectorBehavior.KEYLESS_TABLES;
import static io.siphon.testkit.conformance.ConnectorBehavior.KEY_CHANGE;
import static io.siphon.testkit.conformance.ConnectorBehavior.NEW_TABLE;
import static io.siphon.testkit.conformance.ConnectorBehavior.RENAME_COLUMN;
import static io.siphon.testkit.conformance.ConnectorBehavior.SNAPSHOT;
import static io.siphon.testkit.conformance.ConnectorBehavior.STREAM;
import static io.siphon.testkit.conformance.ConnectorBehavior.TRUNCATE;
import static io.siphon.testkit.conformance.ConnectorBehavior.TYPE_MATRIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.AlterColumnType;
import io.siphon.model.ChangeEvent.CreateTable;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.DropTable;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.RenameColumn;
import io.siphon.model.ChangeEvent.RenameTable;
import io.siphon.model.ChangeEvent.Truncate;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.ChangeOrder;
import io.siphon.model.DataType;
import io.siphon.model.Offset;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Connector;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.StreamStart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of a source: snapshot (type matrix, chunks, resume from unfinished chunks,
 * tables without a key) and change stream (inserts, updates, deletes and truncates in commit order,
 * a changed key, tables without a key, added, dropped and renamed columns, the same changes on
 * every replay, resume after a stop from the stored position). Driven through the SPI only.
 *
 * <p>A connector's test class extends it, returns its {@link ConnectorUnderTest} and its {@link
 * #typeMatrix}:
 *
 * <pre>{@code
 * class PostgresSourceConformanceIT extends SourceConformanceSuite {
 *     @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
 *     protected ConnectorUnderTest underTest() { return new PostgresUnderTest(PG); }
 *     protected TypeMatrix typeMatrix(String database) { ... }
 * }
 * }</pre>
 *
 * <p>Changes are compared in a form every source can give: an update and a delete name the old row
 * by its key ({@code id=1}) for a keyed table, and by its whole old row for a keyless one.
 */
public abstract class SourceConformanceSuite extends ConformanceSuite {

    /**
     * The type matrix of this source; null when it has none (the test is then skipped). Statements
     * run in a new database whose name the argument gives.
     */
    protected abstract TypeMatrix typeMatrix(String database);

    /**
     * Statements that make a table without a primary key streamable with whole old rows
     * (PostgreSQL: {@code REPLICA IDENTITY FULL}); none by default.
     */
    protected List<String> keylessTableSetup(TableId table) {
        return List.of();
    }

    // ---------------------------------------------------------------- snapshot

    @Test
    void snapshotReadsEveryRowOfTheTypeMatrixAsTheStreamDoes() {
        String db = createDatabase("tck_matrix");
        TypeMatrix matrix = typeMatrix(db);
        try (Connector c = connector(db)) {
            require(c, TYPE_MATRIX);
            assertThat(matrix).as("typeMatrix() of a connector with TYPE_MATRIX").isNotNull();
            boolean streams = has(c, STREAM);
            List<String> create = matrix.statements().stream().filter(s -> !isInsert(s)).toList();
            List<String> inserts = matrix.statements().stream().filter(s -> isInsert(s)).toList();
            execute(db, create.toArray(String[]::new));
            TableSchema schema = discover(c, matrix.table());
            List<Row> streamed = new ArrayList<>();
            if (streams) {
                StreamStart start = c.streamSource().prepare(db, List.of(schema), null, false);
                execute(db, inserts.toArray(String[]::new));
                try (ChangeStream stream =
                        c.streamSource().open(db, List.of(schema), start.start())) {
                    for (ChangeEvent e : poll(stream, matrix.rows())) {
                        streamed.add(((Insert) e).after());
                    }
                }
            } else {
                execute(db, inserts.toArray(String[]::new));
            }
            List<Row> read = byId(snapshot(c, schema, 1000));
            assertThat(read).hasSize(matrix.rows());
            if (streams) {
                // Two decoders of one source (snapshot and stream) must agree value by value.
                assertThat(comparable(read)).containsExactlyElementsOf(comparable(byId(streamed)));
            }
        }
    }

    private static boolean isInsert(String sql) {
        return sql.stripLeading().regionMatches(true, 0, "INSERT", 0, 6);
    }

    @Test
    void snapshotOfAnEmptyTableReadsNoRows() {
        String db = createDatabase("tck_empty");
        TableId t = table(db, "items");
        execute(db, createItems(t, true));
        try (Connector c = connector(db)) {
            require(c, SNAPSHOT);
            assertThat(snapshot(c, discover(c, t), 100)).isEmpty();
        }
    }

    @Test
    void snapshotInChunksReadsEveryRowExactlyOnce() {
        String db = createDatabase("tck_chunks");
        TableId t = itemsWithRows(db, true, 1000);
        try (Connector c = connector(db)) {
            require(c, CHUNKED_SNAPSHOT);
            TableSchema schema = discover(c, t);
            SnapshotSource snapshot = c.snapshotSource();
            List<SnapshotSplit> splits = snapshot.planSplits(schema, 100);
            assertThat(splits).hasSizeGreaterThan(1);
            try (ReadPoint point = snapshot.openReadPoint()) {
                assertThat(byId(readSplits(c, schema, splits, point.token())))
                        .containsExactlyElementsOf(items(1, 1000));
            }
        }
    }

    @Test
    void snapshotResumedAfterACrashReadsOnlyTheUnfinishedChunks() {
        String db = createDatabase("tck_resume");
        TableId t = itemsWithRows(db, true, 1000);
        List<SnapshotSplit> splits;
        TableSchema schema;
        List<Row> before;
        try (Connector c = connector(db)) {
            require(c, CHUNKED_SNAPSHOT);
            schema = discover(c, t);
            splits = c.snapshotSource().planSplits(schema, 100);
            assertThat(splits).hasSizeGreaterThan(1);
            try (ReadPoint point = c.snapshotSource().openReadPoint()) {
                before = readSplits(c, schema, splits.subList(0, splits.size() / 2), point.token());
            }
        }
        // A new process: the stored splits, with their bounds, and only the unfinished ones.
        try (Connector c = connector(db);
                ReadPoint point = c.snapshotSource().openReadPoint()) {
            List<Row> after =
                    readSplits(
                            c,
                            schema,
                            splits.subList(splits.size() / 2, splits.size()),
                            point.token());
            List<Row> all = new ArrayList<>(before);
            all.addAll(after);
            assertThat(byId(all)).containsExactlyElementsOf(items(1, 1000));
        }
    }

    @Test
    void snapshotOfATableWithoutKeyReadsEveryRowIncludingDuplicates() {
        String db = createDatabase("tck_keyless_snap");
        TableId t = table(db, "items");
        execute(db, createItems(t, false));
        execute(db, "INSERT INTO " + sqlName(t) + " VALUES (1, 'a', 1), (1, 'a', 1), (2, NULL, 2)");
        try (Connector c = connector(db)) {
            require(c, SNAPSHOT);
            require(c, KEYLESS_TABLES);
            assertThat(snapshot(c, discover(c, t), 100))
                    .containsExactlyInAnyOrder(
                            Row.of(1, "a", 1), Row.of(1, "a", 1), Row.of(2, null, 2));
        }
    }

    // ---------------------------------------------------------------- stream

    @Test
    void streamDeliversInsertsUpdatesDeletesAndTruncatesInCommitOrder() {
        assertThat(
                        itemChanges(
                                true,
                                6,
                                List.of(STREAM, TRUNCATE),
                                "INSERT INTO {t} VALUES (1, 'a', 1), (2, 'b', 2)",
                                "UPDATE {t} SET qty = 10 WHERE id = 1",
                                "DELETE FROM {t} WHERE id = 2",
                                "TRUNCATE TABLE {t}",
                                "INSERT INTO {t} VALUES (3, NULL, 3)"))
                .containsExactly(
                        "insert [1, a, 1]",
                        "insert [2, b, 2]",
                        "update id=1 -> [1, a, 10]",
                        "delete id=2",
                        "truncate",
                        "insert [3, null, 3]");
    }

    @Test
    void streamCarriesAChangedKeyAsAnUpdateFromTheOldKey() {
        assertThat(
                        itemChanges(
                                true,
                                2,
                                List.of(STREAM, KEY_CHANGE),
                                "INSERT INTO {t} VALUES (1, 'a', 1)",
                                "UPDATE {t} SET id = 10 WHERE id = 1"))
                .containsExactly("insert [1, a, 1]", "update id=1 -> [10, a, 1]");
    }

    @Test
    void streamOfATableWithoutKeyCarriesWholeOldRows() {
        assertThat(
                        itemChanges(
                                false,
                                3,
                                List.of(STREAM, KEYLESS_TABLES),
                                "INSERT INTO {t} VALUES (1, 'a', 1)",
                                "UPDATE {t} SET qty = 2 WHERE id = 1",
                                "DELETE FROM {t} WHERE id = 1"))
                .containsExactly(
                        "insert [1, a, 1]", "update [1, a, 1] -> [1, a, 2]", "delete [1, a, 2]");
    }

    @Test
    void streamReportsAnAddedColumnBeforeTheFirstRowThatHasIt() {
        assertThat(
                        itemChanges(
                                true,
                                3,
                                List.of(STREAM, ADD_COLUMN),
                                "INSERT INTO {t} VALUES (1, 'a', 1)",
                                "ALTER TABLE {t} ADD COLUMN extra "
                                        + nativeType(new DataType.Int64()),
                                "INSERT INTO {t} VALUES (2, 'b', 2, 20)"))
                .containsExactly(
                        "insert [1, a, 1]", "add column extra after qty", "insert [2, b, 2, 20]");
    }

    @Test
    void streamReportsADroppedColumnBeforeTheFirstRowWithoutIt() {
        assertThat(
                        itemChanges(
                                true,
                                3,
                                List.of(STREAM, DROP_COLUMN),
                                "INSERT INTO {t} VALUES (1, 'a', 1)",
                                "ALTER TABLE {t} DROP COLUMN name",
                                "INSERT INTO {t} VALUES (2, 2)"))
                .containsExactly("insert [1, a, 1]", "drop column name", "insert [2, 2]");
    }

    @Test
    void streamReportsARenamedColumnBeforeTheFirstRowAfterIt() {
        assertThat(
                        itemChanges(
                                true,
                                3,
                                List.of(STREAM, RENAME_COLUMN),
                                "INSERT INTO {t} VALUES (1, 'a', 1)",
                                "ALTER TABLE {t} RENAME COLUMN name TO label",
                                "INSERT INTO {t} VALUES (2, 'b', 2)"))
                .containsExactly(
                        "insert [1, a, 1]", "rename column name to label", "insert [2, b, 2]");
    }

    @Test
    void streamResumedWithANewTableCarriesItsChanges() {
        String db = createDatabase("tck_new_table");
        TableId items = table(db, "items");
        TableId later = table(db, "later");
        execute(db, createItems(items, true));
        try (Connector c = connector(db)) {
            require(c, NEW_TABLE);
            TableSchema first = discover(c, items);
            StreamStart start = c.streamSource().prepare(db, List.of(first), null, false);
            Offset stored;
            try (ChangeStream stream = c.streamSource().open(db, List.of(first), start.start())) {
                execute(db, "INSERT INTO " + sqlName(items) + " VALUES (1, 'a', 1)");
                assertThat(describe(poll(stream, 1), true)).containsExactly("insert [1, a, 1]");
                stored = stream.safePosition();
            }
            // As the engine does when discovery finds a table: prepare again with it, resume.
            execute(db, createItems(later, true));
            List<TableSchema> both = List.of(first, discover(c, later));
            c.streamSource().prepare(db, both, stored, false);
            try (ChangeStream stream = c.streamSource().open(db, both, stored)) {
                execute(
                        db,
                        "INSERT INTO " + sqlName(later) + " VALUES (2, 'b', 2)",
                        "INSERT INTO " + sqlName(items) + " VALUES (3, 'c', 3)");
                assertThat(
                                poll(stream, 2).stream()
                                        .map(e -> e.table().table() + " " + describe(e, true))
                                        .toList())
                        .containsExactly("later insert [2, b, 2]", "items insert [3, c, 3]");
            }
        }
    }

    @Test
    void replayingFromTheSamePositionDeliversTheSameChangesInTheSamePlaces() {
        String db = createDatabase("tck_replay");
        TableId t = table(db, "items");
        execute(db, createItems(t, true));
        String n = sqlName(t);
        try (Connector c = connector(db)) {
            require(c, STREAM);
            TableSchema schema = discover(c, t);
            StreamStart start = c.streamSource().prepare(db, List.of(schema), null, false);
            execute(
                    db,
                    "INSERT INTO " + n + " VALUES (1, 'a', 1), (2, 'b', 2)",
                    "UPDATE " + n + " SET qty = 3 WHERE id = 2",
                    "DELETE FROM " + n + " WHERE id = 1");
            List<ChangeEvent> first;
            try (ChangeStream stream = c.streamSource().open(db, List.of(schema), start.start())) {
                first = poll(stream, 4);
            }
            // Not acknowledged: the source must hand out the same changes again.
            List<ChangeEvent> second;
            try (ChangeStream stream = c.streamSource().open(db, List.of(schema), start.start())) {
                second = poll(stream, 4);
            }
            assertThat(describe(second, true)).containsExactlyElementsOf(describe(first, true));
            assertThat(orders(second)).containsExactlyElementsOf(orders(first));
        }
    }

    @Test
    void streamResumedFromTheStoredPositionAfterAStopLosesNothing() {
        String db = createDatabase("tck_crash");
        TableId t = table(db, "items");
        execute(db, createItems(t, true));
        String n = sqlName(t);
        try (Connector c = connector(db)) {
            require(c, STREAM);
            TableSchema schema = discover(c, t);
            StreamStart start = c.streamSource().prepare(db, List.of(schema), null, false);
            for (int id = 1; id <= 3; id++) {
                execute(db, "INSERT INTO " + n + " VALUES (" + id + ", 'a', 1)");
            }
            TreeSet<Integer> seen = new TreeSet<>();
            Offset stored;
            try (ChangeStream stream = c.streamSource().open(db, List.of(schema), start.start())) {
                // Stop mid-way: after the first poll that returned anything.
                poll(stream, 1).forEach(e -> seen.add(id(e)));
                stored = stream.safePosition();
            }
            execute(
                    db,
                    "INSERT INTO " + n + " VALUES (4, 'a', 1)",
                    "INSERT INTO " + n + " VALUES (5, 'a', 1)");
            List<Integer> resumed = new ArrayList<>();
            try (Connector again = connector(db);
                    ChangeStream stream = again.streamSource().open(db, List.of(schema), stored)) {
                await().atMost(WAIT)
                        .pollInSameThread()
                        .until(
                                () -> {
                                    stream.poll(Duration.ofMillis(200))
                                            .forEach(e -> resumed.add(id(e)));
                                    return resumed.contains(5);
                                });
            }
            // In commit order, and together with what came before the stop, every change.
            assertThat(resumed).isSorted().doesNotHaveDuplicates();
            seen.addAll(resumed);
            assertThat(seen).containsExactly(1, 2, 3, 4, 5);
        }
    }

    // ---------------------------------------------------------------- steps

    /** A table of items with rows 1..count ({@link #items}). */
    private TableId itemsWithRows(String db, boolean keyed, int count) {
        TableId t = table(db, "items");
        execute(db, createItems(t, keyed));
        StringBuilder sql = new StringBuilder("INSERT INTO " + sqlName(t) + " VALUES ");
        for (int i = 1; i <= count; i++) {
            sql.append(i == 1 ? "" : ", ").append("(").append(i).append(", 'item ").append(i);
            sql.append("', ").append(i * 10).append(")");
        }
        execute(db, sql.toString());
        return t;
    }

    /** The rows {@link #itemsWithRows} inserts, from {@code first} to {@code last}. */
    private static List<Row> items(int first, int last) {
        return IntStream.rangeClosed(first, last)
                .mapToObj(i -> Row.of(i, "item " + i, i * 10))
                .toList();
    }

    /**
     * In a new database, creates an items table ({@link #createItems}) and a stream of it, runs the
     * statements while the stream runs ({@code {t}} stands for the table's name), and describes the
     * first {@code count} changes; skips unless the connector has every behaviour in {@code needs}.
     */
    private List<String> itemChanges(
            boolean keyed, int count, List<ConnectorBehavior> needs, String... sql) {
        String db = createDatabase("tck_stream");
        TableId t = table(db, "items");
        execute(db, createItems(t, keyed));
        if (!keyed) {
            execute(db, keylessTableSetup(t).toArray(String[]::new));
        }
        try (Connector c = connector(db)) {
            needs.forEach(b -> require(c, b));
            TableSchema schema = discover(c, t);
            StreamStart start = c.streamSource().prepare(db, List.of(schema), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(schema), start.start())) {
                for (String statement : sql) {
                    execute(db, statement.replace("{t}", sqlName(t)));
                }
                List<ChangeEvent> events = poll(stream, count);
                assertThat(events).hasSize(count);
                return describe(events, keyed);
            }
        }
    }

    private static List<String> describe(List<ChangeEvent> events, boolean keyed) {
        return events.stream().map(e -> describe(e, keyed)).toList();
    }

    /** A change in a form every source can give; see the class docs. */
    private static String describe(ChangeEvent event, boolean keyed) {
        return switch (event) {
            case Insert i -> "insert " + i.after();
            case Update u ->
                    "update " + old(u.before(), u.beforeIsKeyOnly(), keyed) + " -> " + u.after();
            case Delete d -> "delete " + old(d.before(), d.beforeIsKeyOnly(), keyed);
            case Truncate tr -> "truncate";
            case AddColumn a -> "add column " + a.column().name() + " after " + a.afterColumn();
            case DropColumn d -> "drop column " + d.columnName();
            case RenameColumn r -> "rename column " + r.oldName() + " to " + r.newName();
            case AlterColumnType a ->
                    "alter column " + a.column().name() + " to " + a.column().type();
            case CreateTable ct -> "create table " + ct.table();
            case DropTable dt -> "drop table " + dt.table();
            case RenameTable rt -> "rename table " + rt.table() + " to " + rt.newName();
        };
    }

    private static String old(Row before, boolean keyOnly, boolean keyed) {
        if (keyed) {
            return "id=" + before.get(0);
        }
        assertThat(keyOnly).as("old row of a table without key is whole").isFalse();
        return before.toString();
    }

    private static int id(ChangeEvent event) {
        if (event instanceof Insert i) {
            return (Integer) i.after().get(0);
        }
        throw new AssertionError("expected only inserts, got " + event);
    }

    private static List<ChangeOrder> orders(List<ChangeEvent> events) {
        return events.stream().map(e -> e.meta().order()).toList();
    }
}
