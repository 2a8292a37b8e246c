package io.siphon.connector.postgres.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import io.siphon.verify.Comparison;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What applying streamed changes leaves at the target. */
class PostgresSinkChangesIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId SOURCE = TableId.of("src", "items");
    private static final TableId ITEMS = TableId.of("shop", "items");
    private static final TableSchema ITEMS_SCHEMA =
            new TableSchema(
                    SOURCE,
                    List.of(
                            new Column("id", new DataType.Int64(), false, null),
                            Column.of("name", DataType.StringType.unbounded()),
                            Column.of("doc", DataType.StringType.unbounded())),
                    List.of("id"));
    private static final Object UNCHANGED = Unchanged.VALUE;

    private String db;
    private PostgresConnector sink;
    private TableSchema items;

    @BeforeEach
    void freshTarget() {
        db = PG.server().createDatabase("changes");
        sink = Pg.connector(PG.server(), db);
        items = sink.sink().prepareTable(ITEMS_SCHEMA, ITEMS, "mysql").schema();
    }

    @AfterEach
    void closeSink() {
        sink.close();
    }

    private static ChangeEvent insert(Object... after) {
        return new ChangeEvent.Insert(SOURCE, Row.of(after), EventMeta.NONE);
    }

    /** An update as PostgreSQL's default replica identity sends it: the old row is its key. */
    private static ChangeEvent update(long oldId, Object... after) {
        return new ChangeEvent.Update(
                SOURCE, Row.of(oldId, null, null), true, Row.of(after), EventMeta.NONE);
    }

    private static ChangeEvent delete(long id) {
        return new ChangeEvent.Delete(SOURCE, Row.of(id, null, null), true, EventMeta.NONE);
    }

    private static ChangeEvent truncate() {
        return new ChangeEvent.Truncate(SOURCE, EventMeta.NONE);
    }

    private void apply(TableSchema table, List<ChangeEvent> changes) {
        try (SinkWriter w = sink.sink().openWriter()) {
            w.apply(table, changes);
            w.flush();
        }
    }

    private List<String> select(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = PG.server().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i) == null ? "NULL" : rs.getString(i));
                }
                out.add(String.join("|", values));
            }
        }
        return out;
    }

    private List<String> items() throws Exception {
        return select("SELECT id, name, doc FROM shop.items ORDER BY id");
    }

    @Test
    void changesApplyInOrderWhenOneKeyIsTouchedManyTimesInOneCall() throws Exception {
        apply(items, List.of(insert(1L, "a", "x"), insert(2L, "b", "y"), insert(3L, "c", "z")));
        List<ChangeEvent> changes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            changes.add(update(1L, 1L, "a" + i, "x"));
        }
        changes.add(delete(2L));
        changes.add(insert(2L, "b again", null));
        changes.add(update(2L, 2L, "b final", "y2"));
        changes.add(delete(3L));
        changes.add(insert(4L, "d", "w"));
        apply(items, changes);
        assertThat(items()).containsExactly("1|a49|x", "2|b final|y2", "4|d|w");
    }

    @Test
    void anUpdateThatChangesTheKeyMovesTheRow() throws Exception {
        apply(items, List.of(insert(1L, "a", "x"), insert(2L, "b", "y")));
        apply(items, List.of(update(1L, 10L, "a", "x"), update(2L, 1L, "b", "y")));
        assertThat(items()).containsExactly("1|b|y", "10|a|x");
    }

    @Test
    void anInsertAndADeleteOfTheSameKeyInOneCallLeaveTheOtherRowsAlone() throws Exception {
        apply(items, List.of(insert(1L, "a", "x")));
        apply(items, List.of(insert(2L, "b", "y"), update(2L, 2L, "c", "y"), delete(2L)));
        assertThat(items()).containsExactly("1|a|x");
    }

    @Test
    void aReplayedInsertAndDeleteOfAKeyAlreadyThereRemovesIt() throws Exception {
        // The first application before a crash; the stored position was older, so the same two
        // changes come again in one call. The row must end deleted, as at the source.
        apply(items, List.of(insert(7L, "a", "x")));
        apply(items, List.of(insert(7L, "a", "x"), delete(7L)));
        assertThat(items()).isEmpty();
    }

    @Test
    void aTruncateInTheMiddleOfACallEmptiesTheTableWhereItStands() throws Exception {
        apply(items, List.of(insert(1L, "a", "x"), insert(2L, "b", "y")));
        apply(
                items,
                List.of(
                        insert(3L, "c", "z"),
                        update(1L, 1L, "a2", "x"),
                        truncate(),
                        insert(4L, "d", "w"),
                        insert(1L, "a3", null)));
        assertThat(items()).containsExactly("1|a3|NULL", "4|d|w");
    }

    @Test
    void changesOfManyCallsBetweenTwoFlushesKeepEachKeysOrderThroughKeyChanges() throws Exception {
        String big = "T".repeat(20_000);
        apply(items, List.of(insert(1L, "a", big), insert(2L, "b", "y"), insert(3L, "c", "z")));
        try (SinkWriter w = sink.sink().openWriter()) {
            // Each call is one source transaction; all of them go out with the one flush.
            w.apply(items, List.of(update(1L, 10L, "a moved", UNCHANGED)));
            w.apply(items, List.of(insert(1L, "new one", "n")));
            w.apply(items, List.of(update(10L, 11L, "a moved again", UNCHANGED), delete(2L)));
            w.apply(items, List.of(insert(2L, "b back", null), update(3L, 3L, "c2", "z")));
            w.apply(items, List.of(update(3L, 3L, "c3", UNCHANGED), delete(1L)));
            w.apply(items, List.of(insert(1L, "newest", "m")));
            assertThat(items()).as("nothing is visible before the flush").hasSize(3);
            w.flush();
        }
        assertThat(select("SELECT id, name, md5(doc) FROM shop.items ORDER BY id"))
                .containsExactly(
                        "1|newest|" + md5("m"),
                        "2|b back|NULL",
                        "3|c3|" + md5("z"),
                        "11|a moved again|" + md5(big));
    }

    @Test
    void aTruncateInALaterCallDropsTheHeldChangesBeforeItAndKeepsThoseAfter() throws Exception {
        apply(items, List.of(insert(1L, "a", "x")));
        try (SinkWriter w = sink.sink().openWriter()) {
            w.apply(items, List.of(insert(2L, "b", "y"), update(1L, 1L, "a2", "x")));
            w.apply(items, List.of(truncate()));
            w.apply(items, List.of(insert(3L, "c", "z")));
            w.apply(items, List.of(update(3L, 3L, "c2", UNCHANGED)));
            w.flush();
        }
        assertThat(items()).containsExactly("3|c2|z");
    }

    @Test
    void heldChangesAreWrittenBeforeASchemaChangeAndThoseAfterItInTheNewShape() throws Exception {
        TableSchema wider;
        try (SinkWriter w = sink.sink().openWriter()) {
            w.apply(items, List.of(insert(1L, "a", "x"), insert(2L, "b", "y")));
            wider =
                    w.applySchemaChange(
                            items,
                            new ChangeEvent.AddColumn(
                                    SOURCE,
                                    Column.of("qty", new DataType.Int32()),
                                    null,
                                    EventMeta.NONE));
            w.apply(
                    wider,
                    List.of(
                            new ChangeEvent.Update(
                                    SOURCE,
                                    Row.of(1L, null, null, null),
                                    true,
                                    Row.of(1L, "a2", UNCHANGED, 5),
                                    EventMeta.NONE),
                            new ChangeEvent.Insert(
                                    SOURCE, Row.of(3L, "c", "z", 7), EventMeta.NONE)));
            w.flush();
        }
        assertThat(select("SELECT id, name, doc, qty FROM shop.items ORDER BY id"))
                .containsExactly("1|a2|x|5", "2|b|y|NULL", "3|c|z|7");
    }

    @Test
    void rowsWrittenWhileChangesAreHeldLandAfterThem() throws Exception {
        try (SinkWriter w = sink.sink().openWriter()) {
            w.apply(items, List.of(insert(1L, "change", "x"), insert(2L, "change", "y")));
            // A re-copied chunk's rows, written between changes, overwrite what came before them.
            w.write(items, List.of(Row.of(1L, "chunk", "c")), WriteMode.UPSERT);
            w.apply(items, List.of(update(2L, 2L, "later change", UNCHANGED)));
            w.flush();
        }
        assertThat(items()).containsExactly("1|chunk|c", "2|later change|y");
    }

    @Test
    void moreHeldChangesThanTheLimitAreWrittenEarlyButCommittedOnlyByTheFlush() throws Exception {
        int n = PostgresSinkWriter.MAX_HELD_CHANGES + 100;
        try (SinkWriter w = sink.sink().openWriter()) {
            for (int i = 0; i < n; i += 1_000) {
                List<ChangeEvent> call = new ArrayList<>();
                for (long id = i; id < Math.min(n, i + 1_000); id++) {
                    call.add(insert(id, "r" + id, null));
                }
                w.apply(items, call);
            }
            w.apply(items, List.of(update(0L, 0L, "last", UNCHANGED)));
            assertThat(select("SELECT count(*) FROM shop.items")).containsExactly("0");
            w.flush();
        }
        assertThat(select("SELECT count(*), min(name) FROM shop.items WHERE id > 0"))
                .containsExactly((n - 1) + "|r1");
        assertThat(select("SELECT name FROM shop.items WHERE id = 0")).containsExactly("last");
    }

    @Test
    void changesAreInvisibleUntilFlushAndGoneWhenTheWriterClosesWithoutIt() throws Exception {
        apply(items, List.of(insert(1L, "a", "x")));
        try (SinkWriter w = sink.sink().openWriter()) {
            w.apply(items, List.of(insert(2L, "b", "y"), delete(1L)));
            assertThat(items()).containsExactly("1|a|x");
            w.flush();
            assertThat(items()).containsExactly("2|b|y");
            w.apply(items, List.of(truncate()));
        }
        assertThat(items()).containsExactly("2|b|y");
    }

    @Test
    void replayingTheSameCallLeavesTheSameTable() throws Exception {
        String big = "B".repeat(20_000);
        apply(items, List.of(insert(1L, "a", big), insert(2L, "b", "y"), insert(3L, "c", "z")));
        List<ChangeEvent> call =
                List.of(
                        update(1L, 1L, "a2", UNCHANGED),
                        update(2L, 20L, "b2", "y2"),
                        delete(3L),
                        insert(4L, "d", "w"),
                        update(4L, 4L, "d2", UNCHANGED),
                        update(1L, 11L, "a3", UNCHANGED));
        apply(items, call);
        List<String> once = select("SELECT id, name, md5(doc) FROM shop.items ORDER BY id");
        apply(items, call);
        assertThat(select("SELECT id, name, md5(doc) FROM shop.items ORDER BY id"))
                .isEqualTo(once)
                .containsExactly("4|d2|" + md5("w"), "11|a3|" + md5(big), "20|b2|" + md5("y2"));
    }

    @Test
    void unchangedToastValuesAreKeptThroughUpdatesAndKeyChanges() throws Exception {
        String big = "x".repeat(9_000) + "y".repeat(9_000);
        apply(items, List.of(insert(1L, "a", big), insert(2L, "b", big + "2")));
        assertThat(select("SELECT pg_column_size(doc) < octet_length(doc) FROM shop.items"))
                .as("the value is stored compressed or out of line, as TOAST stores it")
                .containsOnly("t");
        apply(items, List.of(update(1L, 1L, "a2", UNCHANGED)));
        apply(items, List.of(update(2L, 3L, "b2", UNCHANGED), update(1L, 1L, "a3", UNCHANGED)));
        assertThat(
                        select(
                                "SELECT id, name, doc = '"
                                        + big
                                        + "', length(doc) FROM shop.items ORDER BY id"))
                .containsExactly("1|a3|t|18000", "3|b2|f|18001");
        assertThat(select("SELECT right(doc, 2) FROM shop.items WHERE id = 3"))
                .containsExactly("y2");
    }

    @Test
    void anUpdateWithUnchangedValuesWhoseRowIsGoneIsSkippedNotGuessed() throws Exception {
        apply(items, List.of(insert(1L, "a", "x")));
        apply(
                items,
                List.of(
                        update(7L, 7L, "no row", UNCHANGED),
                        update(8L, 9L, "no row either", UNCHANGED),
                        update(1L, 1L, "a2", UNCHANGED)));
        assertThat(items()).containsExactly("1|a2|x");
    }

    @Test
    void aTableWithACompositeQuotedKeyTakesChanges() throws Exception {
        TableSchema source =
                new TableSchema(
                        TableId.of("src", "Odd Table"),
                        List.of(
                                new Column("Region", DataType.StringType.unbounded(), false, null),
                                new Column("no.", new DataType.Int32(), false, null),
                                Column.of("select", new DataType.JsonType(true))),
                        List.of("Region", "no."));
        TableSchema odd =
                sink.sink().prepareTable(source, TableId.of("shop", "Odd \"Table\""), "x").schema();
        TableId id = source.id();
        apply(
                odd,
                List.of(
                        new ChangeEvent.Insert(id, Row.of("eu", 1, "{\"a\": 1}"), EventMeta.NONE),
                        new ChangeEvent.Insert(id, Row.of("us", 1, "[]"), EventMeta.NONE)));
        apply(
                odd,
                List.of(
                        new ChangeEvent.Update(
                                id,
                                Row.of("eu", 1, null),
                                true,
                                Row.of("eu", 2, UNCHANGED),
                                EventMeta.NONE),
                        new ChangeEvent.Delete(id, Row.of("us", 1, null), true, EventMeta.NONE)));
        assertThat(select("SELECT * FROM shop.\"Odd \"\"Table\"\"\""))
                .containsExactly("eu|2|{\"a\": 1}");
    }

    private static final TableSchema LOG_SCHEMA =
            new TableSchema(
                    TableId.of("src", "log"),
                    List.of(
                            Column.of("level", DataType.StringType.unbounded()),
                            Column.of("message", DataType.StringType.unbounded()),
                            Column.of("doc", new DataType.JsonType(false))),
                    List.of());

    private static ChangeEvent logInsert(Object... after) {
        return new ChangeEvent.Insert(LOG_SCHEMA.id(), Row.of(after), EventMeta.NONE);
    }

    @Test
    void aDeleteFromATableWithoutAKeyRemovesExactlyOneOfIdenticalRows() throws Exception {
        TableSchema log =
                sink.sink().prepareTable(LOG_SCHEMA, TableId.of("shop", "log"), "x").schema();
        apply(
                log,
                List.of(
                        logInsert("info", "same", "{\"a\":1}"),
                        logInsert("info", "same", "{\"a\":1}"),
                        logInsert("warn", null, null),
                        logInsert("warn", null, null),
                        logInsert("warn", null, null)));
        apply(
                log,
                List.of(
                        new ChangeEvent.Delete(
                                log.id(),
                                Row.of("info", "same", "{\"a\":1}"),
                                false,
                                EventMeta.NONE),
                        new ChangeEvent.Update(
                                log.id(),
                                Row.of("warn", null, null),
                                false,
                                Row.of("error", null, null),
                                EventMeta.NONE),
                        new ChangeEvent.Delete(
                                log.id(), Row.of("warn", null, null), false, EventMeta.NONE),
                        new ChangeEvent.Delete(
                                log.id(),
                                Row.of("debug", "never there", null),
                                false,
                                EventMeta.NONE)));
        assertThat(select("SELECT level, message, doc FROM shop.log ORDER BY 1, 2"))
                .containsExactly("error|NULL|NULL", "info|same|{\"a\":1}", "warn|NULL|NULL");
    }

    @Test
    void aDeleteFromAPartitionedTableWithoutAKeyStaysInItsPartition() throws Exception {
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE shop.log (level text, message text, doc json)"
                                + " PARTITION BY LIST (level)",
                        "CREATE TABLE shop.log_info PARTITION OF shop.log FOR VALUES IN ('info')",
                        "CREATE TABLE shop.log_warn PARTITION OF shop.log FOR VALUES IN ('warn')");
        TableSchema log =
                sink.sink().prepareTable(LOG_SCHEMA, TableId.of("shop", "log"), "x").schema();
        apply(log, List.of(logInsert("info", "a", null), logInsert("warn", "b", null)));
        assertThat(
                        select(
                                "SELECT ctid FROM shop.log_info UNION ALL SELECT ctid FROM shop.log_warn"))
                .as("both rows sit at the same ctid of their partitions")
                .containsExactly("(0,1)", "(0,1)");
        apply(
                log,
                List.of(
                        new ChangeEvent.Delete(
                                log.id(), Row.of("info", "a", null), false, EventMeta.NONE)));
        assertThat(select("SELECT level, message FROM shop.log")).containsExactly("warn|b");
    }

    @Test
    void everyTypeOfTheMatrixSurvivesInsertUpdateAndDelete() throws Exception {
        String sourceDb = PG.server().createDatabase("matrix");
        PostgresTypeMatrix.sourceStatements().forEach(sql -> PG.server().execute(sourceDb, sql));
        PostgresTypeMatrix.targetPrerequisites().forEach(sql -> PG.server().execute(db, sql));
        try (PostgresConnector source = Pg.connector(PG.server(), sourceDb)) {
            TableSchema schema = Pg.discover(source, PostgresTypeMatrix.TABLE);
            TableSchema target =
                    sink.sink().prepareTable(schema, PostgresTypeMatrix.TABLE, "postgres").schema();
            List<Row> rows = readSorted(source, schema);
            List<ChangeEvent> inserts = new ArrayList<>();
            rows.forEach(r -> inserts.add(new ChangeEvent.Insert(schema.id(), r, EventMeta.NONE)));
            apply(target, inserts);
            assertEqual(sourceDb);

            // Every row takes the values of the next one, so every column of every row changes.
            List<String> columns = PostgresTypeMatrix.columnNames();
            PG.server()
                    .execute(
                            sourceDb,
                            "UPDATE public.type_matrix t SET ("
                                    + String.join(", ", columns)
                                    + ") = (SELECT "
                                    + String.join(", ", columns)
                                    + " FROM public.type_matrix n WHERE n.id = t.id % "
                                    + PostgresTypeMatrix.ROWS
                                    + " + 1)");
            List<Row> updated = readSorted(source, schema);
            List<ChangeEvent> updates = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                updates.add(
                        new ChangeEvent.Update(
                                schema.id(), rows.get(i), false, updated.get(i), EventMeta.NONE));
            }
            apply(target, updates);
            assertEqual(sourceDb);

            PG.server().execute(sourceDb, "DELETE FROM public.type_matrix WHERE id % 2 = 0");
            List<ChangeEvent> deletes = new ArrayList<>();
            for (Row row : updated) {
                if ((Integer) row.get(0) % 2 == 0) {
                    deletes.add(new ChangeEvent.Delete(schema.id(), row, false, EventMeta.NONE));
                }
            }
            apply(target, deletes);
            assertEqual(sourceDb);
            assertThat(select("SELECT count(*) FROM public.type_matrix")).containsExactly("3");
        }
    }

    private static List<Row> readSorted(PostgresConnector source, TableSchema schema) {
        List<Row> rows = new ArrayList<>(Pg.readAll(source, schema, 1000));
        rows.sort(Comparator.comparing(r -> (Integer) r.get(0)));
        return rows;
    }

    private void assertEqual(String sourceDb) throws Exception {
        Comparison result =
                Pg.compare(
                        PG.server(),
                        sourceDb,
                        PostgresTypeMatrix.TABLE,
                        db,
                        PostgresTypeMatrix.TABLE);
        assertThat(result.differences()).isEmpty();
        assertThat(result.equal()).as(result.toString()).isTrue();
    }

    private static String md5(String s) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }
}
