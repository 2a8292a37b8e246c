package io.siphon.connector.postgres.cdc;

import static io.siphon.connector.postgres.cdc.Cdc.withoutMeta;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Truncate;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.ChangeOrder;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Data changes arrive in commit order, with the values a snapshot reads. */
class PgStreamChangesIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final EventMeta NONE = EventMeta.NONE;

    /** Creates the slot, runs the statements, and streams from the slot's start. */
    private static List<ChangeEvent> changesOf(
            PostgresConnector c, List<TableSchema> tables, int count, String db, String... sql) {
        StreamStart start = c.streamSource().prepare(db, tables, null, false);
        assertThat(start.snapshot()).isNull();
        PG.server().execute(db, sql);
        try (ChangeStream stream = c.streamSource().open(db, tables, start.start())) {
            List<ChangeEvent> events = Cdc.poll(stream, count, WAIT);
            assertThat(events).hasSize(count);
            return events;
        }
    }

    @Test
    void streamsInsertsUpdatesDeletesAndTruncatesInCommitOrder() {
        String db = PG.server().createDatabase("order");
        PG.server()
                .execute(db, "CREATE TABLE public.items (id int PRIMARY KEY, name text, qty int)");
        TableId items = TableId.of("public", "items");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            List<ChangeEvent> events =
                    changesOf(
                            c,
                            List.of(Cdc.table(c, "public.items")),
                            6,
                            db,
                            "INSERT INTO public.items VALUES (1, 'a', 1), (2, 'b', 2)",
                            "UPDATE public.items SET qty = 10 WHERE id = 1",
                            "DELETE FROM public.items WHERE id = 2",
                            "TRUNCATE public.items",
                            "INSERT INTO public.items VALUES (3, NULL, 3)");
            assertThat(withoutMeta(events))
                    .containsExactly(
                            new Insert(items, Row.of(1, "a", 1), NONE),
                            new Insert(items, Row.of(2, "b", 2), NONE),
                            new Update(
                                    items, Row.of(1, null, null), true, Row.of(1, "a", 10), NONE),
                            new Delete(items, Row.of(2, null, null), true, NONE),
                            new Truncate(items, NONE),
                            new Insert(items, Row.of(3, null, 3), NONE));
            // The two inserts are one transaction; every later statement its own, in order.
            List<PgLsn> positions = events.stream().map(e -> (PgLsn) e.meta().position()).toList();
            assertThat(positions.get(0)).isEqualTo(positions.get(1));
            assertThat(positions.subList(1, 6)).isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(positions.subList(1, 6)).doesNotHaveDuplicates();
            List<String> transactions = events.stream().map(e -> e.meta().transactionId()).toList();
            assertThat(transactions.get(0)).isEqualTo(transactions.get(1));
            assertThat(transactions.subList(1, 6)).doesNotHaveDuplicates();
            assertThat(events).allSatisfy(e -> assertThat(e.meta().commitTime()).isNotNull());
            // Each change has its own place: the commit LSN, then its index in the transaction.
            List<ChangeOrder> orders = events.stream().map(e -> e.meta().order()).toList();
            assertThat(orders.get(0)).isEqualTo(new ChangeOrder(positions.get(0).value(), 0));
            assertThat(orders.get(1)).isEqualTo(new ChangeOrder(positions.get(0).value(), 1));
            assertThat(orders.get(2)).isEqualTo(new ChangeOrder(positions.get(2).value(), 0));
            assertThat(orders).isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(orders).doesNotHaveDuplicates();
        }
    }

    @Test
    void typeMatrixRowsArriveWithTheValuesTheSnapshotReads() {
        String db = PG.server().createDatabase("matrix");
        List<String> statements = PostgresTypeMatrix.sourceStatements();
        statements.stream()
                .filter(s -> !s.startsWith("INSERT"))
                .forEach(s -> PG.server().execute(db, s));
        String[] inserts =
                statements.stream().filter(s -> s.startsWith("INSERT")).toArray(String[]::new);
        String columns = String.join(", ", PostgresTypeMatrix.columnNames());
        String shift =
                "UPDATE public.type_matrix t SET ("
                        + columns
                        + ") = (SELECT "
                        + columns
                        + " FROM public.type_matrix s WHERE s.id = t.id % 6 + 1)";
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema matrix = Pg.discover(c, PostgresTypeMatrix.TABLE);
            StreamStart start = c.streamSource().prepare(db, List.of(matrix), null, false);
            PG.server().execute(db, inserts);
            List<Row> inserted = snapshotRows(c, matrix);
            PG.server().execute(db, shift);
            List<Row> updated = snapshotRows(c, matrix);
            try (ChangeStream stream = c.streamSource().open(db, List.of(matrix), start.start())) {
                List<ChangeEvent> events = Cdc.poll(stream, 2 * PostgresTypeMatrix.ROWS, WAIT);
                List<Row> streamedInserts = new ArrayList<>();
                List<Row> streamedUpdates = new ArrayList<>();
                for (ChangeEvent e : events) {
                    switch (e) {
                        case Insert i -> streamedInserts.add(i.after());
                        case Update u -> {
                            streamedUpdates.add(u.after());
                            assertThat(u.beforeIsKeyOnly()).isTrue();
                            assertThat(
                                            Arrays.asList(u.before().values())
                                                    .subList(1, u.before().size()))
                                    .containsOnlyNulls();
                        }
                        default -> throw new AssertionError("unexpected " + e);
                    }
                }
                assertSameValues(matrix, streamedInserts, inserted);
                assertSameValues(matrix, streamedUpdates, updated);
            }
        }
    }

    private static List<Row> snapshotRows(PostgresConnector c, TableSchema table) {
        List<Row> rows = new ArrayList<>(Pg.readAll(c, table, 1000));
        rows.sort(Comparator.comparing(r -> (Integer) r.get(0)));
        return rows;
    }

    private static void assertSameValues(
            TableSchema table, List<Row> streamed, List<Row> snapshot) {
        List<Row> sorted = new ArrayList<>(streamed);
        sorted.sort(Comparator.comparing(r -> (Integer) r.get(0)));
        assertThat(sorted).hasSameSizeAs(snapshot);
        for (int r = 0; r < sorted.size(); r++) {
            for (int i = 0; i < table.columns().size(); i++) {
                assertThat(comparable(sorted.get(r).get(i)))
                        .as("%s of row %s", table.columns().get(i).name(), snapshot.get(r).get(0))
                        .isEqualTo(comparable(snapshot.get(r).get(i)));
            }
        }
    }

    private static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return "bytes:" + java.util.HexFormat.of().formatHex(bytes);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PgStreamChangesIT::comparable).collect(Collectors.toList());
        }
        return value;
    }

    @Test
    void quotedNamesWithSpacesQuotesAndCaseStream() {
        String db = PG.server().createDatabase("quoted");
        PG.server()
                .execute(
                        db,
                        "CREATE SCHEMA \"Sales Dept\"",
                        "CREATE TABLE \"Sales Dept\".\"Order \"\"Items\"\"\" (\"Item Id\" int"
                                + " PRIMARY KEY, \"Qty Ordered\" int)");
        TableId items = TableId.of("Sales Dept", "Order \"Items\"");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema table = Pg.discover(c, items);
            StreamStart start =
                    c.streamSource().prepare("Sales/Orders \u00fc", List.of(table), null, false);
            PG.server()
                    .execute(
                            db,
                            "INSERT INTO \"Sales Dept\".\"Order \"\"Items\"\"\" VALUES (1, 2)",
                            "UPDATE \"Sales Dept\".\"Order \"\"Items\"\"\" SET \"Qty Ordered\" = 3");
            try (ChangeStream stream =
                    c.streamSource().open("Sales/Orders \u00fc", List.of(table), start.start())) {
                assertThat(withoutMeta(Cdc.poll(stream, 2, WAIT)))
                        .containsExactly(
                                new Insert(items, Row.of(1, 2), NONE),
                                new Update(items, Row.of(1, null), true, Row.of(1, 3), NONE));
            }
            c.streamSource().drop("Sales/Orders \u00fc", start.start(), false);
        }
    }

    @Test
    void aChangedPrimaryKeyArrivesWithTheOldKey() {
        String db = PG.server().createDatabase("pk");
        PG.server().execute(db, "CREATE TABLE public.k (id int PRIMARY KEY, v text)");
        TableId k = TableId.of("public", "k");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            List<ChangeEvent> events =
                    changesOf(
                            c,
                            List.of(Cdc.table(c, "public.k")),
                            2,
                            db,
                            "INSERT INTO public.k VALUES (1, 'x')",
                            "UPDATE public.k SET id = 99 WHERE id = 1");
            assertThat(withoutMeta(events.get(1)))
                    .isEqualTo(new Update(k, Row.of(1, null), true, Row.of(99, "x"), NONE));
        }
    }

    @Test
    void aTableWithReplicaIdentityFullAndNoKeySendsWholeOldRows() {
        String db = PG.server().createDatabase("full");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.nokey (a int, b text)",
                        "ALTER TABLE public.nokey REPLICA IDENTITY FULL");
        TableId nokey = TableId.of("public", "nokey");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            List<ChangeEvent> events =
                    changesOf(
                            c,
                            List.of(Cdc.table(c, "public.nokey")),
                            3,
                            db,
                            "INSERT INTO public.nokey VALUES (1, 'x')",
                            "UPDATE public.nokey SET b = 'y' WHERE a = 1",
                            "DELETE FROM public.nokey WHERE a = 1");
            assertThat(withoutMeta(events))
                    .containsExactly(
                            new Insert(nokey, Row.of(1, "x"), NONE),
                            new Update(nokey, Row.of(1, "x"), false, Row.of(1, "y"), NONE),
                            new Delete(nokey, Row.of(1, "y"), false, NONE));
        }
    }

    @Test
    void anUnchangedToastedValueArrivesAsUnchanged() throws Exception {
        String db = PG.server().createDatabase("toast");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.docs (id int PRIMARY KEY, body text, n int)",
                        // Out of line and uncompressed: the value is TOASTed whatever its content.
                        "ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL");
        TableId docs = TableId.of("public", "docs");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            List<ChangeEvent> events =
                    changesOf(
                            c,
                            List.of(Cdc.table(c, "public.docs")),
                            3,
                            db,
                            "INSERT INTO public.docs VALUES (1, repeat('0123456789', 1000), 0)",
                            "UPDATE public.docs SET n = 1 WHERE id = 1",
                            "UPDATE public.docs SET body = 'short' WHERE id = 1");
            assertThat(((Insert) events.get(0)).after().get(1))
                    .isEqualTo("0123456789".repeat(1000));
            assertThat(withoutMeta(events.subList(1, 3)))
                    .containsExactly(
                            new Update(
                                    docs,
                                    Row.of(1, null, null),
                                    true,
                                    Row.of(1, Unchanged.VALUE, 1),
                                    NONE),
                            new Update(
                                    docs,
                                    Row.of(1, null, null),
                                    true,
                                    Row.of(1, "short", 1),
                                    NONE));
        }
    }

    @Test
    void oneTruncateOfTwoTablesIsOneEventPerTable() {
        String db = PG.server().createDatabase("truncate");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.a (id serial PRIMARY KEY)",
                        "CREATE TABLE public.b (id int PRIMARY KEY)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            List<TableSchema> tables = List.of(Cdc.table(c, "public.a"), Cdc.table(c, "public.b"));
            List<ChangeEvent> events =
                    changesOf(
                            c,
                            tables,
                            2,
                            db,
                            "TRUNCATE public.a, public.b RESTART IDENTITY CASCADE");
            assertThat(withoutMeta(events))
                    .containsExactlyInAnyOrder(
                            new Truncate(TableId.of("public", "a"), NONE),
                            new Truncate(TableId.of("public", "b"), NONE));
            // One message truncates both tables; each table's truncate has its own place.
            assertThat(events.get(0).meta().at(null)).isEqualTo(events.get(1).meta().at(null));
            assertThat(events.stream().map(e -> e.meta().order().index())).containsExactly(0L, 1L);
        }
    }
}
