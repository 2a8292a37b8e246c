package io.siphon.connector.postgres.cdc;

import static io.siphon.connector.postgres.cdc.Cdc.withoutMeta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The slot and publication a pipeline owns, the positions the stream reports and acknowledges, and
 * the errors of a stream whose connection or slot goes away.
 */
class PgStreamLifecycleIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TableId T = TableId.of("public", "t");

    /** A database with table public.t (id int primary key). */
    private static String database(String prefix) {
        String db = PG.server().createDatabase(prefix);
        PG.server().execute(db, "CREATE TABLE public.t (id int PRIMARY KEY)");
        return db;
    }

    private static PostgresConnector quiet(String db) {
        return Cdc.connector(PG.server(), db, "heartbeat-interval", "0s");
    }

    private static Insert insert(int id) {
        return new Insert(T, Row.of(id), EventMeta.NONE);
    }

    @Test
    void thePipelineOwnsASlotAndAPublicationNamedAfterIt() throws Exception {
        String db = database("names");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("My-Pipe", List.of(t(c)), null, false);
            assertThat(
                            Cdc.query(
                                    PG.server(),
                                    db,
                                    "SELECT plugin FROM pg_replication_slots WHERE"
                                            + " slot_name = 'siphon_my_pipe'"))
                    .isEqualTo("pgoutput");
            assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_my_pipe"))
                    .isEqualTo(start.start());
            assertThat(
                            Cdc.query(
                                    PG.server(),
                                    db,
                                    "SELECT string_agg(schemaname || '.' ||"
                                            + " tablename, ',') FROM pg_publication_tables WHERE pubname ="
                                            + " 'siphon_my_pipe'"))
                    .isEqualTo("public.t");
        }
    }

    @Test
    void prepareOfAnExistingSlotReturnsItsConfirmedPositionAndUpdatesThePublication()
            throws Exception {
        String db = database("again");
        PG.server().execute(db, "CREATE TABLE public.u (id int PRIMARY KEY)");
        try (PostgresConnector c = quiet(db)) {
            StreamStart first = c.streamSource().prepare("again", List.of(t(c)), null, true);
            first.snapshot().close();
            PG.server().execute(db, "INSERT INTO public.t VALUES (1)");
            StreamStart second =
                    c.streamSource()
                            .prepare(
                                    "again",
                                    List.of(t(c), Cdc.table(c, "public.u")),
                                    first.start(),
                                    true);
            assertThat(second).isEqualTo(new StreamStart(first.start(), null));
            assertThat(
                            Cdc.query(
                                    PG.server(),
                                    db,
                                    "SELECT string_agg(tablename, ',' ORDER BY"
                                            + " tablename) FROM pg_publication_tables WHERE pubname ="
                                            + " 'siphon_again'"))
                    .isEqualTo("t,u");
        }
    }

    @Test
    void acknowledgeAdvancesTheSlotAndNothingElseDoes() throws Exception {
        String db = database("ack");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("ack", List.of(t(c)), null, false);
            PG.server()
                    .execute(
                            db,
                            "INSERT INTO public.t VALUES (1)",
                            "INSERT INTO public.t VALUES (2)");
            try (ChangeStream stream = c.streamSource().open("ack", List.of(t(c)), start.start())) {
                assertThat(withoutMeta(Cdc.poll(stream, 2, WAIT)))
                        .containsExactly(insert(1), insert(2));
                PgLsn safe = (PgLsn) stream.safePosition();
                assertThat(safe).isGreaterThan((PgLsn) start.start());
                // Polling (and pgjdbc's status updates) report nothing as flushed.
                Cdc.pollFor(stream, Duration.ofMillis(500));
                assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_ack"))
                        .isEqualTo(start.start());
                long lagBefore = stream.backlogBytes();
                assertThat(lagBefore).isPositive();
                stream.acknowledge(safe);
                await().atMost(WAIT)
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        Cdc.confirmedFlush(
                                                                PG.server(), db, "siphon_ack"))
                                                .isEqualTo(safe));
                assertThat(stream.backlogBytes()).isBetween(0L, lagBefore - 1);
            }
        }
    }

    @Test
    void startLsnStartsANewStreamAfterThatPositionAndRefusesOneBeforeTheSlot() throws Exception {
        String db = database("startlsn");
        String at;
        try (PostgresConnector c = quiet(db)) {
            c.streamSource().prepare("startlsn", List.of(t(c)), null, false);
            PG.server().execute(db, "INSERT INTO public.t VALUES (1)");
            try (java.sql.Connection sql = PG.server().connect(db);
                    java.sql.Statement st = sql.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()")) {
                rs.next();
                at = rs.getString(1);
            }
            PG.server().execute(db, "INSERT INTO public.t VALUES (2)");
        }
        try (PostgresConnector c =
                Cdc.connector(PG.server(), db, "heartbeat-interval", "0s", "start-lsn", at)) {
            StreamStart start = c.streamSource().prepare("startlsn", List.of(t(c)), null, false);

            assertThat(start.start()).isEqualTo(PgLsn.parse(at));
            try (ChangeStream stream =
                    c.streamSource().open("startlsn", List.of(t(c)), start.start())) {
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT))).containsExactly(insert(2));
            }
        }
        try (PostgresConnector c =
                Cdc.connector(PG.server(), db, "heartbeat-interval", "0s", "start-lsn", "0/1")) {
            assertThatThrownBy(
                            () -> c.streamSource().prepare("startlsn", List.of(t(c)), null, false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE))
                    .hasMessageContaining("lies before");
        }
    }

    @Test
    void resumingFromAnAcknowledgedPositionReplaysNothingBeforeItAndLosesNothingAfter() {
        String db = database("resume");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("resume", List.of(t(c)), null, false);
            PgLsn acknowledged;
            try (ChangeStream stream =
                    c.streamSource().open("resume", List.of(t(c)), start.start())) {
                PG.server().execute(db, "INSERT INTO public.t VALUES (1)");
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT))).containsExactly(insert(1));
                acknowledged = (PgLsn) stream.safePosition();
                stream.acknowledge(acknowledged);
                PG.server()
                        .execute(
                                db,
                                "INSERT INTO public.t VALUES (2), (3)",
                                "INSERT INTO public.t VALUES (4)");
                assertThat(withoutMeta(Cdc.poll(stream, 3, WAIT)))
                        .containsExactly(insert(2), insert(3), insert(4));
            }
            // Resumed from the acknowledged position: 2, 3 and 4 again, never 1.
            try (ChangeStream stream =
                    c.streamSource().open("resume", List.of(t(c)), acknowledged)) {
                List<ChangeEvent> events = Cdc.poll(stream, 3, WAIT);
                events.addAll(Cdc.pollFor(stream, Duration.ofMillis(300)));
                assertThat(withoutMeta(events)).containsExactly(insert(2), insert(3), insert(4));
                assertThat(events)
                        .allSatisfy(
                                e ->
                                        assertThat((PgLsn) e.meta().position())
                                                .isGreaterThan(acknowledged));
            }
        }
    }

    @Test
    void heartbeatsAdvanceTheSlotOfAnIdleDatabase() throws Exception {
        String db = database("heartbeat");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "100ms")) {
            StreamStart start = c.streamSource().prepare("beat", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("beat", List.of(t(c)), start.start())) {
                PgLsn opened =
                        PgLsn.parse(
                                Cdc.query(PG.server(), db, "SELECT pg_current_wal_lsn()::text"));
                assertThat(Cdc.pollFor(stream, Duration.ofMillis(800))).isEmpty();
                PgLsn safe = (PgLsn) stream.safePosition();
                assertThat(safe).isGreaterThan(opened);
                stream.acknowledge(safe);
                await().atMost(WAIT)
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        Cdc.confirmedFlush(
                                                                PG.server(), db, "siphon_beat"))
                                                .isEqualTo(safe));
            }
        }
    }

    @Test
    void oneLongPollOfAnIdleStreamStillWritesHeartbeats() throws Exception {
        String db = database("longbeat");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "100ms")) {
            StreamStart start = c.streamSource().prepare("longbeat", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("longbeat", List.of(t(c)), start.start())) {
                PgLsn opened =
                        PgLsn.parse(
                                Cdc.query(PG.server(), db, "SELECT pg_current_wal_lsn()::text"));

                assertThat(stream.poll(Duration.ofSeconds(2))).isEmpty();

                assertThat((PgLsn) stream.safePosition()).isGreaterThan(opened);
            }
        }
    }

    @Test
    void aPollWaitingOnAnIdleStreamReturnsTheChangeThatComes() throws Exception {
        String db = database("wake");
        ExecutorService poller = Executors.newSingleThreadExecutor();
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("wake", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("wake", List.of(t(c)), start.start())) {
                assertThat(Cdc.pollFor(stream, Duration.ofMillis(500))).isEmpty();
                // Far longer than the test may take: the poll returns because the change came.
                Future<List<ChangeEvent>> polled =
                        poller.submit(() -> stream.poll(Duration.ofHours(1)));
                PG.server().execute(db, "INSERT INTO public.t VALUES (1)");

                assertThat(withoutMeta(polled.get(WAIT.toSeconds(), TimeUnit.SECONDS)))
                        .containsExactly(insert(1));
            }
        } finally {
            poller.shutdownNow();
        }
    }

    @Test
    void anInterruptEndsALongPollOfAnIdleStream() throws Exception {
        String db = database("interrupt");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("interrupt", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("interrupt", List.of(t(c)), start.start())) {
                assertThat(Cdc.pollFor(stream, Duration.ofMillis(300))).isEmpty();
                List<List<ChangeEvent>> polled = new java.util.concurrent.CopyOnWriteArrayList<>();
                // Far longer than the test may take: the poll returns because of the interrupt,
                // as the engine's reader does when its job is cancelled.
                Thread poller = new Thread(() -> polled.add(stream.poll(Duration.ofHours(1))));
                poller.start();
                await("the poll waiting on the socket")
                        .atMost(WAIT)
                        .until(
                                () ->
                                        java.util.Arrays.stream(poller.getStackTrace())
                                                .anyMatch(
                                                        f ->
                                                                f.getClassName()
                                                                        .equals(
                                                                                SocketWait.class
                                                                                        .getName())));

                poller.interrupt();
                poller.join(WAIT.toMillis());

                assertThat(poller.isAlive()).isFalse();
                assertThat(polled).containsExactly(List.of());
            }
        }
    }

    @Test
    void aPollLongerThanTheServersReplicationTimeoutKeepsItsConnection() throws Exception {
        String db = database("sendertimeout");
        // The server ends a replication connection that has not reported for this long; it asks
        // for a report after half of it. The engine's reader polls an idle stream for seconds.
        PG.server().execute("postgres", "ALTER DATABASE " + db + " SET wal_sender_timeout = '1s'");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("sender", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("sender", List.of(t(c)), start.start())) {
                assertThat(Cdc.pollFor(stream, Duration.ofMillis(300))).isEmpty();
                String walSender = activePid(db, "siphon_sender");

                assertThat(stream.poll(Duration.ofSeconds(4))).isEmpty();

                PG.server().execute(db, "INSERT INTO public.t VALUES (1)");
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT))).containsExactly(insert(1));
                assertThat(activePid(db, "siphon_sender")).isEqualTo(walSender);
            }
        }
    }

    private static String activePid(String db, String slot) throws Exception {
        return Cdc.query(
                PG.server(),
                db,
                "SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = '"
                        + slot
                        + "'");
    }

    @Test
    void closingTheStreamEndsAPollWaitingOnIt() throws Exception {
        String db = database("closewait");
        ExecutorService poller = Executors.newSingleThreadExecutor();
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("closewait", List.of(t(c)), null, false);
            ChangeStream stream = c.streamSource().open("closewait", List.of(t(c)), start.start());
            assertThat(Cdc.pollFor(stream, Duration.ofMillis(300))).isEmpty();
            Future<List<ChangeEvent>> polled =
                    poller.submit(() -> stream.poll(Duration.ofHours(1)));

            stream.close();

            assertThatThrownBy(() -> polled.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_LOST));
        } finally {
            poller.shutdownNow();
        }
    }

    @Test
    void aSocketWaitEndsWhenDataComesAndLeavesTheDataToBeRead() throws Exception {
        String db = database("socketwait");
        try (java.sql.Connection listener = PG.server().connect(db)) {
            SocketWait wait = SocketWait.on(listener);
            assertThat(wait.waitsOnSocket()).as("pgjdbc's stream is reachable").isTrue();
            try (java.sql.Statement s = listener.createStatement()) {
                s.execute("LISTEN siphon_wait");
            }
            assertThat(wait.await(TimeUnit.MILLISECONDS.toNanos(200))).isFalse();
            PG.server().execute(db, "NOTIFY siphon_wait, 'hello'");

            assertThat(wait.await(TimeUnit.HOURS.toNanos(1))).isTrue();

            assertThat(listener.unwrap(PGConnection.class).getNotifications())
                    .extracting(PGNotification::getParameter)
                    .containsExactly("hello");
        }
    }

    @Test
    void aTerminatedServerProcessIsALostConnectionThatMayBeRetried() throws Exception {
        String db = database("terminate");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("term", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("term", List.of(t(c)), start.start())) {
                stream.poll(Duration.ofMillis(100));
                PG.server()
                        .execute(
                                db,
                                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                                        + " WHERE slot_name = 'siphon_term'");
                assertThatThrownBy(() -> Cdc.pollFor(stream, Duration.ofSeconds(5)))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> {
                                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
                                    assertThat(e.retriable()).isTrue();
                                    assertThat(e.getMessage()).contains("siphon_term");
                                });
            }
            // The retry opens a new stream from the same slot.
            awaitInactive(db, "siphon_term");
            PG.server().execute(db, "INSERT INTO public.t VALUES (7)");
            try (ChangeStream stream =
                    c.streamSource().open("term", List.of(t(c)), start.start())) {
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT))).containsExactly(insert(7));
            }
        }
    }

    @Test
    void aSlotDroppedUnderARunningStreamIsALostPosition() throws Exception {
        String db = database("dropped");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("gone", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("gone", List.of(t(c)), start.start())) {
                stream.poll(Duration.ofMillis(100));
                PG.server()
                        .execute(
                                db,
                                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                                        + " WHERE slot_name = 'siphon_gone'");
                awaitInactive(db, "siphon_gone");
                PG.server().execute(db, "SELECT pg_drop_replication_slot('siphon_gone')");
                assertThatThrownBy(() -> Cdc.pollFor(stream, Duration.ofSeconds(5)))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> {
                                    assertThat(e.code()).isEqualTo(ErrorCode.POSITION_LOST);
                                    assertThat(e.getMessage())
                                            .isEqualTo(
                                                    "Replication slot siphon_gone of pipeline gone no"
                                                            + " longer exists, so changes after "
                                                            + start.start()
                                                            + " are gone; run `siphon run"
                                                            + " --resnapshot` to copy the tables"
                                                            + " again");
                                });
            }
            assertThatThrownBy(() -> c.streamSource().open("gone", List.of(t(c)), start.start()))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.POSITION_LOST));
        }
    }

    @Test
    void aSlotOfTheSameNameInAnotherDatabaseIsNotTaken() {
        String first = database("first");
        String second = database("second");
        try (PostgresConnector a = quiet(first);
                PostgresConnector b = quiet(second)) {
            a.streamSource().prepare("shared", List.of(t(a)), null, false);
            assertThatThrownBy(() -> b.streamSource().prepare("shared", List.of(t(b)), null, false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
                                assertThat(e.getMessage())
                                        .isEqualTo(
                                                "Replication slot siphon_shared exists but is not"
                                                        + " a pgoutput slot of database "
                                                        + second
                                                        + " (it is pgoutput in "
                                                        + first
                                                        + "); set 'slot-name' to a name of its"
                                                        + " own for this pipeline");
                            });
        }
    }

    @Test
    void prepareWithAStoredPositionButNoSlotIsALostPosition() {
        String db = database("noslot");
        try (PostgresConnector c = quiet(db)) {
            assertThatThrownBy(
                            () ->
                                    c.streamSource()
                                            .prepare(
                                                    "lost-pipe",
                                                    List.of(t(c)),
                                                    PgLsn.parse("0/16B3748"),
                                                    true))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.POSITION_LOST);
                                assertThat(e.getMessage())
                                        .isEqualTo(
                                                "Replication slot siphon_lost_pipe of pipeline"
                                                        + " lost-pipe no longer exists, so changes"
                                                        + " after 0/16B3748 are gone; run `siphon"
                                                        + " run --resnapshot` to copy the tables"
                                                        + " again");
                            });
        }
    }

    @Test
    void dropRemovesTheSlotEvenWhileStreamingAndThePublicationAndMayRunTwice() throws Exception {
        String db = database("drop");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("drop", List.of(t(c)), null, false);
            try (ChangeStream stream =
                    c.streamSource().open("drop", List.of(t(c)), start.start())) {
                stream.poll(Duration.ofMillis(100));
                c.streamSource().drop("drop", start.start(), false);
            }
            assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_drop")).isNull();
            assertThat(Cdc.query(PG.server(), db, "SELECT count(*) FROM pg_publication"))
                    .isEqualTo("0");
            c.streamSource().drop("drop", start.start(), false);
        }
    }

    @Test
    void aConfiguredPublicationIsUsedAndKeptOnDrop() throws Exception {
        String db = database("ownpub");
        PG.server().execute(db, "CREATE PUBLICATION mine FOR ALL TABLES");
        try (PostgresConnector c =
                Cdc.connector(
                        PG.server(),
                        db,
                        "heartbeat-interval",
                        "0s",
                        "publication-name",
                        "mine",
                        "slot-name",
                        "my_slot")) {
            StreamStart start = c.streamSource().prepare("p", List.of(t(c)), null, false);
            PG.server().execute(db, "INSERT INTO public.t VALUES (5)");
            try (ChangeStream stream = c.streamSource().open("p", List.of(t(c)), start.start())) {
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT))).containsExactly(insert(5));
            }
            c.streamSource().drop("p", start.start(), false);
            assertThat(Cdc.confirmedFlush(PG.server(), db, "my_slot")).isNull();
            assertThat(Cdc.query(PG.server(), db, "SELECT pubname FROM pg_publication"))
                    .isEqualTo("mine");
        }
    }

    @Test
    void aSlotThisStateHoldsNoPositionOfIsAnotherCopysAndIsNeitherTakenNorDropped()
            throws Exception {
        String db = database("twocopies");
        try (PostgresConnector first = quiet(db);
                PostgresConnector second = quiet(db)) {
            StreamStart start =
                    first.streamSource().prepare("copy", List.of(t(first)), null, false);

            assertThatThrownBy(
                            () ->
                                    second.streamSource()
                                            .prepare("copy", List.of(t(second)), null, true))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                    .hasMessageContaining("Replication slot siphon_copy of pipeline copy exists")
                    .hasMessageContaining("this state directory holds no position of it")
                    .hasMessageContaining("siphon drop --force");
            assertThatThrownBy(() -> second.streamSource().drop("copy", null, false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                    .hasMessageContaining("nothing was dropped");
            assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_copy")).isEqualTo(start.start());

            second.streamSource().drop("copy", null, true);
            assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_copy")).isNull();
        }
    }

    @Test
    void theStreamObjectsCarryTheInstanceTokenOfTheStateThatCreatedThem() throws Exception {
        String db = database("tokens");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start =
                    c.streamSource().prepare("tok", "aaaa1111", List.of(t(c)), null, false);
            assertThat(publicationComment(db, "siphon_tok"))
                    .isEqualTo(
                            "siphon instance aaaa1111; pipeline tok; replication slot siphon_tok."
                                    + " Created by Siphon with the slot; `siphon drop` removes"
                                    + " both.");
            assertThat(
                            c.streamSource()
                                    .prepare("tok", "aaaa1111", List.of(t(c)), start.start(), false)
                                    .start())
                    .isEqualTo(start.start());

            // Another state, even one holding a position, is another copy of the pipeline.
            assertThatThrownBy(
                            () ->
                                    c.streamSource()
                                            .prepare(
                                                    "tok",
                                                    "bbbb2222",
                                                    List.of(t(c)),
                                                    start.start(),
                                                    false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                    .hasMessageContaining(
                            "The replication slot siphon_tok and publication siphon_tok of"
                                    + " pipeline tok at ")
                    .hasMessageContaining(
                            " belong to another Siphon state (instance token aaaa1111; this state"
                                    + " directory's is bbbb2222)")
                    .hasMessageContaining("siphon drop --force");
            assertThatThrownBy(() -> c.streamSource().drop("tok", "bbbb2222", start.start(), false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                    .hasMessageContaining(
                            "belong to another Siphon state (instance token aaaa1111; this state"
                                    + " directory's is bbbb2222); nothing was dropped");
            assertThatThrownBy(() -> c.streamSource().drop("tok", null, null, false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                    .hasMessageContaining(
                            "(instance token aaaa1111; this state directory has none); nothing"
                                    + " was dropped");
            assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_tok")).isEqualTo(start.start());

            // Its own token is enough to drop, with no position stored yet.
            c.streamSource().drop("tok", "aaaa1111", null, false);
            assertThat(Cdc.confirmedFlush(PG.server(), db, "siphon_tok")).isNull();
            assertThat(Cdc.query(PG.server(), db, "SELECT count(*) FROM pg_publication"))
                    .isEqualTo("0");
        }
    }

    @Test
    void aStreamCreatedWithoutATokenIsAdoptedByTheStateThatResumesIt() throws Exception {
        String db = database("adopt");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("old", List.of(t(c)), null, false);
            assertThat(publicationComment(db, "siphon_old")).isNull();

            c.streamSource().prepare("old", "cccc3333", List.of(t(c)), start.start(), false);
            assertThat(publicationComment(db, "siphon_old"))
                    .startsWith("siphon instance cccc3333; pipeline old;");
        }
    }

    @Test
    void aSlotConfirmedBeyondTheStoredPositionWasAdvancedByAnotherCopy() throws Exception {
        String db = database("ahead");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("ahead", List.of(t(c)), null, false);
            PgLsn acknowledged;
            try (ChangeStream stream =
                    c.streamSource().open("ahead", List.of(t(c)), start.start())) {
                PG.server().execute(db, "INSERT INTO public.t VALUES (1)");
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT))).containsExactly(insert(1));
                acknowledged = (PgLsn) stream.safePosition();
                stream.acknowledge(acknowledged);
            }
            awaitInactive(db, "siphon_ahead");
            assertThatThrownBy(
                            () ->
                                    c.streamSource()
                                            .prepare("ahead", List.of(t(c)), start.start(), false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                    .hasMessageContaining("Replication slot siphon_ahead of pipeline ahead at ")
                    .hasMessageContaining(
                            " was confirmed up to "
                                    + acknowledged.describe()
                                    + ", beyond "
                                    + ((PgLsn) start.start()).describe()
                                    + " where this state directory's position is");
            assertThat(
                            c.streamSource()
                                    .prepare("ahead", List.of(t(c)), acknowledged, false)
                                    .start())
                    .isEqualTo(acknowledged);
        }
    }

    private static String publicationComment(String db, String publication) throws Exception {
        return Cdc.query(
                PG.server(),
                db,
                "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname"
                        + " = '"
                        + publication
                        + "'");
    }

    @Test
    void aSlotAnotherProcessStreamsFromIsRefusedNamingThatProcess() throws Exception {
        String db = database("inuse");
        try (PostgresConnector c = quiet(db)) {
            StreamStart start = c.streamSource().prepare("busy", List.of(t(c)), null, false);
            try (java.sql.Connection other = otherProcessStreaming(db, "siphon_busy")) {
                await().atMost(WAIT)
                        .until(
                                () ->
                                        Cdc.query(
                                                PG.server(),
                                                db,
                                                "SELECT active FROM pg_replication_slots WHERE"
                                                        + " slot_name = 'siphon_busy'"),
                                "t"::equals);

                assertThatThrownBy(
                                () ->
                                        c.streamSource()
                                                .prepare(
                                                        "busy",
                                                        List.of(t(c)),
                                                        start.start(),
                                                        false))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e ->
                                        assertThat(e.code())
                                                .isEqualTo(ErrorCode.PIPELINE_ALREADY_RUNNING))
                        .hasMessageContaining("Pipeline busy is already running elsewhere")
                        .hasMessageContaining("in use by siphon@elsewhere:4242");
                assertThatThrownBy(() -> c.streamSource().drop("busy", start.start(), false))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e ->
                                        assertThat(e.code())
                                                .isEqualTo(ErrorCode.PIPELINE_ALREADY_RUNNING))
                        .hasMessageContaining("siphon@elsewhere:4242")
                        .hasMessageContaining("nothing was dropped");
            }
        }
    }

    /**
     * A replication connection named as a Siphon process on another host would name itself,
     * streaming from a slot.
     */
    private static java.sql.Connection otherProcessStreaming(String db, String slot)
            throws java.sql.SQLException {
        java.util.Properties props = new java.util.Properties();
        org.postgresql.PGProperty.USER.set(props, "postgres");
        org.postgresql.PGProperty.REPLICATION.set(props, "database");
        org.postgresql.PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        org.postgresql.PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "12");
        org.postgresql.PGProperty.APPLICATION_NAME.set(props, "siphon@elsewhere:4242");
        java.sql.Connection connection =
                java.sql.DriverManager.getConnection(PG.server().jdbcUrl(db), props);
        connection
                .unwrap(org.postgresql.PGConnection.class)
                .getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(slot)
                .withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", slot)
                .start();
        return connection;
    }

    private static TableSchema t(PostgresConnector c) {
        return Cdc.table(c, "public.t");
    }

    private static void awaitInactive(String db, String slot) {
        await().atMost(WAIT)
                .until(
                        () ->
                                "f"
                                        .equals(
                                                Cdc.query(
                                                        PG.server(),
                                                        db,
                                                        "SELECT active FROM pg_replication_slots WHERE"
                                                                + " slot_name = '"
                                                                + slot
                                                                + "'")));
    }
}
