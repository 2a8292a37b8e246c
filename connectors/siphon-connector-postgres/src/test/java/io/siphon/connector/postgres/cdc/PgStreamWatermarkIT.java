package io.siphon.connector.postgres.cdc;

import static io.siphon.connector.postgres.cdc.Cdc.withoutMeta;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watermarks written into the stream around a split read (DBLog), and table rewrites seen by their
 * new relfilenode.
 */
class PgStreamWatermarkIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TableId T = TableId.of("public", "t");

    /** Polls until a poll stops at the watermark, and returns the events before it. */
    private static List<ChangeEvent> pollUntil(ChangeStream stream, String watermark) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            events.addAll(stream.poll(Duration.ofMillis(200)));
            if (watermark.equals(stream.watermarkReached())) {
                return events;
            }
        }
        throw new AssertionError("watermark " + watermark + " never arrived; got " + events);
    }

    @Test
    void aSplitReadBetweenWatermarksAndThePollsStopAtEach() {
        String db = PG.server().createDatabase("wm");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, name text)",
                        "INSERT INTO public.t VALUES (1, 'a'), (2, 'b')");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server().execute(db, "INSERT INTO public.t VALUES (3, 'before')");
                SnapshotSplit whole = c.snapshotSource().planSplits(t, 1_000).getFirst();
                List<Row> rows = stream.readBetweenWatermarks(t, whole, "w1/low", "w1/high");
                PG.server().execute(db, "INSERT INTO public.t VALUES (4, 'after')");

                assertThat(rows)
                        .containsExactlyInAnyOrder(
                                Row.of(1, "a"), Row.of(2, "b"), Row.of(3, "before"));
                assertThat(withoutMeta(pollUntil(stream, "w1/low")))
                        .containsExactly(new Insert(T, Row.of(3, "before"), EventMeta.NONE));
                assertThat(pollUntil(stream, "w1/high")).isEmpty();
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT)))
                        .containsExactly(new Insert(T, Row.of(4, "after"), EventMeta.NONE));
            }
        }
    }

    /**
     * A transaction whose commit waits for a synchronous standby that never comes has written its
     * commit record (so the stream decodes it) but is not visible to new snapshots until the wait
     * is cancelled: exactly the moment in which a read between watermarks could miss a change that
     * lies before its low watermark.
     */
    @Test
    void aReadThatDoesNotSeeAChangeBeforeItsLowWatermarkIsReportedAndAReadThatSeesItIsNot()
            throws Exception {
        String db = PG.server().createDatabase("wm_visibility");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, name text)",
                        "INSERT INTO public.t VALUES (1, 'a'), (2, 'b')",
                        // The connector's own commits (the watermarks) do not wait for a standby.
                        "ALTER DATABASE " + db + " SET synchronous_commit = local");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            SnapshotSplit whole = c.snapshotSource().planSplits(t, 1_000).getFirst();
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server()
                        .execute(
                                db,
                                "ALTER SYSTEM SET synchronous_standby_names = 'siphon_nobody'",
                                "SELECT pg_reload_conf()");
                try {
                    // Committed before the read, decoded only after it, before its low watermark.
                    try (WaitingCommit first =
                            new WaitingCommit(db, "UPDATE public.t SET name = 'x' WHERE id = 1")) {
                        assertThat(stream.readBetweenWatermarks(t, whole, "a/low", "a/high"))
                                .containsExactlyInAnyOrder(Row.of(1, "a"), Row.of(2, "b"));
                        assertThat(pollUntil(stream, "a/low")).hasSize(1);
                        assertThat(stream.readMissedEarlierChange("a/low")).isTrue();
                    }
                    pollUntil(stream, "a/high");

                    // Decoded before the read.
                    try (WaitingCommit second =
                            new WaitingCommit(db, "UPDATE public.t SET name = 'y' WHERE id = 2")) {
                        assertThat(Cdc.poll(stream, 1, WAIT)).hasSize(1);
                        assertThat(stream.readBetweenWatermarks(t, whole, "b/low", "b/high"))
                                .containsExactlyInAnyOrder(Row.of(1, "x"), Row.of(2, "b"));
                        assertThat(pollUntil(stream, "b/low")).isEmpty();
                        assertThat(stream.readMissedEarlierChange("b/low")).isTrue();
                    }
                    pollUntil(stream, "b/high");

                    // Both visible now: the split read again sees them.
                    assertThat(stream.readBetweenWatermarks(t, whole, "c/low", "c/high"))
                            .containsExactlyInAnyOrder(Row.of(1, "x"), Row.of(2, "y"));
                    pollUntil(stream, "c/low");
                    assertThat(stream.readMissedEarlierChange("c/low")).isFalse();
                } finally {
                    PG.server()
                            .execute(
                                    db,
                                    "ALTER SYSTEM RESET synchronous_standby_names",
                                    "SELECT pg_reload_conf()");
                }
            }
        }
    }

    /**
     * A statement committed on its own connection with {@code synchronous_commit = on}, whose
     * commit then waits for the standby; closing cancels the wait, which makes it visible.
     */
    private static final class WaitingCommit implements AutoCloseable {

        private final String db;
        private final Connection connection;
        private final int pid;
        private final Thread thread;
        private volatile Throwable failure;

        WaitingCommit(String db, String sql) throws Exception {
            this.db = db;
            this.connection = PG.server().connect(db);
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
                s.execute("SET synchronous_commit = on");
            }
            connection.setAutoCommit(true);
            thread =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try (Statement s = connection.createStatement()) {
                                            s.execute(sql);
                                        } catch (Throwable e) {
                                            failure = e;
                                        }
                                    });
            Awaitility.await("the commit waiting for the standby")
                    .atMost(WAIT)
                    .until(
                            () ->
                                    count(
                                                    db,
                                                    "SELECT count(*) FROM pg_stat_activity WHERE"
                                                            + " pid = "
                                                            + pid
                                                            + " AND wait_event = 'SyncRep'")
                                            == 1);
        }

        @Override
        public void close() throws Exception {
            PG.server().execute(db, "SELECT pg_cancel_backend(" + pid + ")");
            thread.join(WAIT.toMillis());
            connection.close();
            assertThat(failure).as("the waiting commit").isNull();
        }
    }

    private static long count(String db, String sql) throws Exception {
        try (Connection c = PG.server().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aVolatileDefaultIsReportedAsARewriteAndAPlainAddColumnIsNot() {
        String db = PG.server().createDatabase("rewrite");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, name text)",
                        "INSERT INTO public.t VALUES (1, 'a')");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server()
                        .execute(
                                db,
                                "ALTER TABLE public.t ADD COLUMN plain int",
                                "INSERT INTO public.t (id) VALUES (2)");
                Cdc.poll(stream, 2, WAIT);
                assertThat(stream.rewrittenTables()).isEmpty();

                PG.server()
                        .execute(
                                db,
                                "ALTER TABLE public.t ADD COLUMN t timestamptz DEFAULT"
                                        + " clock_timestamp()",
                                "INSERT INTO public.t (id) VALUES (3)");
                Cdc.poll(stream, 2, WAIT);
                assertThat(stream.rewrittenTables()).isEqualTo(Set.of(T));
                assertThat(stream.rewrittenTables()).as("reported once").isEmpty();
            }
        }
    }
}
