package io.siphon.connector.postgres.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A writer opened for a pipeline records what it committed in the schema {@code siphon} at the
 * target, with the rows, and applies nothing twice: replayed changes and committed chunks are
 * skipped, so tables without a key keep exactly as many identical rows as the source.
 */
class PostgresSinkExactlyOnceIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId SOURCE = TableId.of("src", "log");
    private static final TableId LOG = TableId.of("shop", "log");
    private static final TableSchema KEYLESS =
            new TableSchema(
                    SOURCE,
                    List.of(
                            Column.of("who", DataType.StringType.unbounded()),
                            Column.of("amount", new DataType.Int32())),
                    List.of());

    private String db;
    private PostgresConnector sink;
    private TableSchema log;

    @BeforeEach
    void freshTarget() {
        db = PG.server().createDatabase("exactly");
        sink = Pg.connector(PG.server(), db);
        log = sink.sink().prepareTable(KEYLESS, LOG, "postgres").schema();
    }

    @AfterEach
    void closeSink() {
        sink.close();
    }

    private static EventMeta at(long commit, long index) {
        return new EventMeta(null, null, null, new ChangeOrder(commit, index));
    }

    private static ChangeEvent insert(long commit, long index, String who, int amount) {
        return new ChangeEvent.Insert(SOURCE, Row.of(who, amount), at(commit, index));
    }

    private static ChangeEvent delete(long commit, long index, String who, int amount) {
        return new ChangeEvent.Delete(SOURCE, Row.of(who, amount), false, at(commit, index));
    }

    /** Applies changes with a fresh writer of {@code pipeline} and commits them. */
    private void apply(String pipeline, List<ChangeEvent> changes) {
        try (SinkWriter w = sink.sink().openWriter(pipeline)) {
            w.apply(log, changes);
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

    private List<String> rows() throws Exception {
        return select("SELECT who, amount FROM shop.log ORDER BY who, amount");
    }

    @Test
    void aReplayedTransactionAddsNoRowTwiceToATableWithoutAKey() throws Exception {
        List<ChangeEvent> transaction =
                List.of(
                        insert(100, 0, "ann", 5),
                        insert(100, 1, "ann", 5),
                        insert(100, 2, "bob", 7),
                        delete(100, 3, "ann", 5));
        apply("p1", transaction);
        // The offset store was not written before the crash: the stream sends it all again,
        // followed by what came after.
        List<ChangeEvent> replay = new ArrayList<>(transaction);
        replay.add(insert(200, 0, "bob", 7));
        apply("p1", replay);

        assertThat(rows()).containsExactly("ann|5", "bob|7", "bob|7");
    }

    @Test
    void transactionsHeldTogetherUntilAFlushAreRecordedAtTheLastAndSkippedOnReplay()
            throws Exception {
        List<List<ChangeEvent>> transactions =
                List.of(
                        List.of(insert(100, 0, "a", 1), insert(100, 1, "a", 1)),
                        List.of(delete(200, 0, "a", 1)),
                        List.of(insert(300, 0, "b", 2)));
        try (SinkWriter w = sink.sink().openWriter("p1")) {
            transactions.forEach(t -> w.apply(log, t));
            w.flush();
        }
        assertThat(select("SELECT commit_position, change_index FROM" + " siphon.applied_position"))
                .containsExactly("300|0");
        // After a crash before the offset store was written, the same transactions come again.
        try (SinkWriter w = sink.sink().openWriter("p1")) {
            transactions.forEach(t -> w.apply(log, t));
            w.apply(log, List.of(insert(400, 0, "c", 3)));
            w.flush();
        }

        assertThat(rows()).containsExactly("a|1", "b|2", "c|3");
    }

    @Test
    void aTransactionCommittedInPartResumesAtTheChangeAfterTheLastOneCommitted() throws Exception {
        // A large transaction's first half was committed by a flush in its middle.
        apply("p1", List.of(insert(300, 0, "a", 1), insert(300, 1, "a", 1)));
        apply(
                "p1",
                List.of(
                        insert(300, 0, "a", 1),
                        insert(300, 1, "a", 1),
                        insert(300, 2, "a", 1),
                        insert(300, 3, "b", 2)));

        assertThat(rows()).containsExactly("a|1", "a|1", "a|1", "b|2");
        assertThat(
                        select(
                                "SELECT pipeline, target_table, commit_position, change_index"
                                        + " FROM siphon.applied_position"))
                .containsExactly("p1|shop.log|300|3");
    }

    @Test
    void changesNotFlushedAreNotRecordedEither() throws Exception {
        apply("p1", List.of(insert(100, 0, "a", 1)));
        try (SinkWriter w = sink.sink().openWriter("p1")) {
            w.apply(log, List.of(insert(200, 0, "b", 2)));
            // Closed without flush, as by a crash: rows and position are rolled back together.
        }
        apply("p1", List.of(insert(200, 0, "b", 2)));

        assertThat(rows()).containsExactly("a|1", "b|2");
    }

    @Test
    void eachPipelineKeepsItsOwnPositionForATable() throws Exception {
        apply("p1", List.of(insert(900, 0, "from p1", 1)));
        apply("p2", List.of(insert(400, 0, "from p2", 2)));

        assertThat(rows()).containsExactly("from p1|1", "from p2|2");
        assertThat(
                        select(
                                "SELECT pipeline, commit_position FROM siphon.applied_position"
                                        + " ORDER BY pipeline"))
                .containsExactly("p1|900", "p2|400");
    }

    @Test
    void aWriterNotOpenedForAPipelineRecordsNothingAndSkipsNothing() throws Exception {
        try (SinkWriter w = sink.sink().openWriter()) {
            assertThat(w.exactlyOnce()).isFalse();
            w.apply(log, List.of(insert(100, 0, "a", 1)));
            w.apply(log, List.of(insert(100, 0, "a", 1)));
            w.flush();
        }
        assertThat(rows()).containsExactly("a|1", "a|1");
        assertThat(select("SELECT to_regclass('siphon.applied_position')")).containsExactly("NULL");
    }

    @Test
    void aChunkCommittedWithItsDoneMarkIsNotWrittenAgain() throws Exception {
        SnapshotSplit first = new SnapshotSplit(SOURCE, 0, "ctid", null, "10", 3);
        SnapshotSplit second = new SnapshotSplit(SOURCE, 1, "ctid", "10", null, 3);
        try (SinkWriter w = sink.sink().openWriter("p1")) {
            assertThat(w.exactlyOnce()).isTrue();
            assertThat(w.chunkApplied("1@7", first, log)).isFalse();
            w.write(log, List.of(Row.of("a", 1), Row.of("a", 1)), WriteMode.BULK_APPEND);
            w.chunkDone("1@7", first, log, 2);
            w.flush();
            assertThat(w.chunkApplied("1@7", second, log)).isFalse();
            w.write(log, List.of(Row.of("b", 2)), WriteMode.BULK_APPEND);
            // The crash comes before the second chunk ends: its row is rolled back.
        }

        try (SinkWriter w = sink.sink().openWriter("p1")) {
            assertThat(w.chunkApplied("2@9", first, log)).as("another snapshot").isFalse();
            assertThat(w.chunkApplied("1@7", first, log)).isTrue();
            assertThat(w.chunkApplied("1@7", second, log)).isFalse();
            // The resumed run writes into a table that is no longer empty: identical rows of the
            // chunk are all kept, because the table holds only the snapshot's committed chunks.
            w.write(log, List.of(Row.of("b", 2), Row.of("b", 2)), WriteMode.UPSERT);
            w.chunkDone("1@7", second, log, 2);
            w.flush();
        }

        assertThat(rows()).containsExactly("a|1", "a|1", "b|2", "b|2");
        assertThat(
                        select(
                                "SELECT chunk, target_table, rows FROM siphon.applied_chunk"
                                        + " ORDER BY chunk"))
                .containsExactly("src.log#0|shop.log|2", "src.log#1|shop.log|2");
    }

    @Test
    void upsertsIntoATableWithOtherRowsStillInsertOnlyMissingRows() throws Exception {
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(log, List.of(Row.of("x", 9)), WriteMode.BULK_APPEND);
            w.flush();
        }
        SnapshotSplit only = new SnapshotSplit(SOURCE, 0, "ctid", null, null, 2);
        try (SinkWriter w = sink.sink().openWriter("p1")) {
            assertThat(w.chunkApplied("1@7", only, log)).isFalse();
            w.write(log, List.of(Row.of("x", 9), Row.of("y", 1)), WriteMode.UPSERT);
            w.chunkDone("1@7", only, log, 2);
            w.flush();
        }

        assertThat(rows()).containsExactly("x|9", "y|1");
    }
}
