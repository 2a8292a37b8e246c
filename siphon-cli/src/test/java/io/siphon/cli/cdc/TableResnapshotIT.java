package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.TableProgress;
import io.siphon.engine.TableResnapshotRequest;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.engine.state.TableCopyRecord;
import io.siphon.engine.state.TableCopyStatus;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-table re-snapshots while the pipeline streams (DBLog watermarks): asked for by a user, or
 * after a table rewrite at the source. The target must end exactly equal to the source, and the
 * other tables must keep streaming during the copy.
 */
class TableResnapshotIT {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableId OTHER = TableId.of("public", "other");

    private static PostgresServer source;
    private static PostgresServer target;
    private static SiphonEngine engine;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() {
        source = PostgresServer.start();
        target = PostgresServer.start();
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stop() {
        engine.close();
        target.close();
        source.close();
    }

    private record Pipeline(String name, String sourceDb, String targetDb, PipelineSpec spec) {}

    private static Pipeline pipeline(String tables, int chunkRows) {
        String name = "resnapshot-it-" + NAMES.incrementAndGet();
        String sourceDb = source.createDatabase("rs_src");
        String targetDb = target.createDatabase("rs_dst");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: %s
                                source:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  tables: [%s]
                                  heartbeat-interval: 1s
                                sink:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                mode: snapshot+cdc
                                parallelism: 2
                                chunk-rows: %d
                                checkpoint-interval: 500ms
                                """
                                        .formatted(
                                                name,
                                                source.jdbcUrl(sourceDb),
                                                tables,
                                                target.jdbcUrl(targetDb),
                                                chunkRows),
                                "resnapshot.yaml");
        return new Pipeline(name, sourceDb, targetDb, spec);
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(2))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING
                                    && progress.stream() != null
                                    && progress.stream().acknowledgedPosition() != null;
                        });
    }

    private static void awaitEqual(Pipeline p, TableId... tables) {
        Awaitility.await("target equal to source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> assertEqual(p, tables));
    }

    private static void assertEqual(Pipeline p, TableId... tables) throws Exception {
        for (TableId t : tables) {
            try (Connection from = source.connect(p.sourceDb());
                    Connection to = target.connect(p.targetDb())) {
                Comparison c = TableComparator.compare(from, t, to, t);
                assertThat(c.equal()).as(c.toString()).isTrue();
            }
        }
    }

    private static ResnapshotProgress resnapshotOf(PipelineRun run, TableId table) {
        return run.progress().tables().stream()
                .filter(t -> t.source().equals(table))
                .findFirst()
                .map(TableProgress::resnapshot)
                .orElse(null);
    }

    private static TableCopyRecord lastCopy(Pipeline p, TableId table) {
        List<TableCopyRecord> copies =
                engine.state().tableCopies(p.name()).stream()
                        .filter(c -> c.table().equals(table))
                        .toList();
        return copies.isEmpty() ? null : copies.getLast();
    }

    private static long targetCount(Pipeline p, TableId table, String where) throws Exception {
        try (Connection c = target.connect(p.targetDb());
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void stopRun(PipelineRun run) {
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aTableReSnapshottedUnderWriteLoadEndsExactWhileTheOtherTablesKeepStreaming()
            throws Exception {
        Pipeline p = pipeline("public.items, public.other", 2_000);
        ChangeWorkload.createItems(source, p.sourceDb(), 100_000);
        source.execute(p.sourceDb(), "CREATE TABLE other (id int PRIMARY KEY, note text)");
        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);
        // Rows that only a full copy repairs: removed at the target behind the pipeline's back.
        target.execute(p.targetDb(), "DELETE FROM items WHERE id % 10 = 0");

        int otherRowsSeenDuringCopy = 0;
        try (ChangeWorkload workload =
                new ChangeWorkload(source, p.sourceDb(), 100_000, 7, 1_000)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> workload.changes() > 500);
            assertThat(
                            TableResnapshotRequest.record(
                                    engine.state(), p.spec(), List.of("public.items")))
                    .containsExactly(ITEMS);
            Awaitility.await("re-snapshot started")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> resnapshotOf(run, ITEMS) != null);

            // While the copy runs, each row written to the other table reaches the target.
            for (int id = 1; resnapshotOf(run, ITEMS) != null; id++) {
                source.execute(p.sourceDb(), "INSERT INTO other VALUES (" + id + ", 'x')");
                String where = "id = " + id;
                Awaitility.await("row " + id + " of the other table at the target")
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> targetCount(p, OTHER, where) == 1);
                if (resnapshotOf(run, ITEMS) != null) {
                    otherRowsSeenDuringCopy++;
                }
            }
        }

        assertThat(otherRowsSeenDuringCopy)
                .as("rows of the other table that reached the target during the copy")
                .isPositive();
        TableCopyRecord copy = lastCopy(p, ITEMS);
        assertThat(copy.status())
                .as("recorded once durable, before the status stops showing it")
                .isEqualTo(TableCopyStatus.DONE);
        assertThat(copy.reason()).isEqualTo("requested");
        assertThat(engine.state().chunks(p.name(), copy.snapshotId())).hasSizeGreaterThan(10);
        awaitEqual(p, ITEMS, OTHER);
        stopRun(run);
    }

    @Test
    void aVolatileDefaultRewritesTheTableAndThatTableAloneIsReSnapshotted() throws Exception {
        Pipeline p = pipeline("public.items, public.other", 5_000);
        ChangeWorkload.createItems(source, p.sourceDb(), 20_000);
        source.execute(p.sourceDb(), "CREATE TABLE other (id int PRIMARY KEY, note text)");
        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);

        try (ChangeWorkload workload = new ChangeWorkload(source, p.sourceDb(), 20_000, 3, 500)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> workload.changes() > 200);
            // Every existing row gets its own value, written by the rewrite: no row events.
            source.execute(
                    p.sourceDb(),
                    "ALTER TABLE items ADD COLUMN t timestamptz DEFAULT clock_timestamp()");
            long after = workload.changes();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> workload.changes() > after + 200);
        }
        source.execute(p.sourceDb(), "INSERT INTO other VALUES (1, 'after')");

        Awaitility.await("rewrite re-snapshot done")
                .atMost(Duration.ofMinutes(2))
                .until(
                        () -> {
                            TableCopyRecord c = lastCopy(p, ITEMS);
                            return c != null && c.status() == TableCopyStatus.DONE;
                        });
        assertThat(lastCopy(p, ITEMS).reason()).isEqualTo("rewritten");
        assertThat(lastCopy(p, OTHER)).isNull();
        awaitEqual(p, ITEMS, OTHER);
        stopRun(run);
    }

    @Test
    void aTableWithoutPrimaryKeyIsCopiedInOneLockedChunkAndEndsExact() throws Exception {
        Pipeline p = pipeline("public.events", 1_000);
        source.execute(
                p.sourceDb(),
                "CREATE TABLE events (kind text, amount int)",
                "ALTER TABLE events REPLICA IDENTITY FULL",
                "INSERT INTO events SELECT 'k' || (g % 10), g % 7 FROM generate_series(1, 5000) g");
        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);
        target.execute(p.targetDb(), "DELETE FROM events WHERE amount = 3");
        TableId events = TableId.of("public", "events");

        TableResnapshotRequest.record(engine.state(), p.spec(), List.of("events"));
        source.execute(
                p.sourceDb(),
                "INSERT INTO events VALUES ('new', 1), ('new', 1)",
                "DELETE FROM events WHERE kind = 'k1'",
                "UPDATE events SET amount = 100 WHERE kind = 'k2'");
        Awaitility.await("copy done")
                .atMost(Duration.ofMinutes(2))
                .until(
                        () -> {
                            TableCopyRecord c = lastCopy(p, events);
                            return c != null && c.status() == TableCopyStatus.DONE;
                        });
        assertThat(engine.state().chunks(p.name(), lastCopy(p, events).snapshotId())).hasSize(1);
        awaitEqual(p, events);
        stopRun(run);
    }

    @Test
    void aTableThePipelineDoesNotTakeIsRefusedWithTheReason() {
        Pipeline p = pipeline("public.items", 1_000);
        Assertions.assertThatThrownBy(
                        () ->
                                TableResnapshotRequest.record(
                                        engine.state(), p.spec(), List.of("public.nope")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
                .hasMessageContaining("public.nope")
                .hasMessageContaining(p.name());
    }
}
