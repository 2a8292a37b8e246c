package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes made at the source while a pipeline is stopped, or while it starts, are followed
 * from the schema history kept with the stored position, exactly as if they had happened while it
 * streamed; and columns added with a default give the target's existing rows the same value.
 */
class SchemaHistoryIT {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableId ADDED = TableId.of("public", "added");

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

    private record Pipeline(String sourceDb, String targetDb, PipelineSpec spec) {}

    private static Pipeline pipeline() {
        String name = "history-it-" + NAMES.incrementAndGet();
        String sourceDb = source.createDatabase("hist_src");
        String targetDb = target.createDatabase("hist_dst");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: %s
                                source:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  tables: ["public.*"]
                                  heartbeat-interval: 1s
                                sink:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                mode: snapshot+cdc
                                parallelism: 2
                                checkpoint-interval: 300ms
                                discovery-interval: 1s
                                """
                                        .formatted(
                                                name,
                                                source.jdbcUrl(sourceDb),
                                                target.jdbcUrl(targetDb)),
                                "history.yaml");
        return new Pipeline(sourceDb, targetDb, spec);
    }

    /**
     * Every kind of column change and a new table, each with writes before and after it, so that
     * replaying them out of order, or mapping rows onto the wrong shape, shows at the target.
     */
    static final String[] DDL_WITH_WRITES = {
        "INSERT INTO items (id, name, qty, note) VALUES (9001, 'before', 1, 'n1')",
        "UPDATE items SET note = 'touched' WHERE id <= 5",
        "ALTER TABLE items ADD COLUMN color text",
        "INSERT INTO items (id, name, qty, color) VALUES (9002, 'colored', 2, 'red')",
        "UPDATE items SET color = 'blue' WHERE id BETWEEN 6 AND 10",
        "ALTER TABLE items DROP COLUMN note",
        "INSERT INTO items (id, name, qty) VALUES (9003, 'no note', 3)",
        "UPDATE items SET name = 'after drop' WHERE id = 20",
        "ALTER TABLE items RENAME COLUMN name TO title",
        "INSERT INTO items (id, title, qty) VALUES (9004, 'titled', 4)",
        "UPDATE items SET title = 'renamed' WHERE id BETWEEN 30 AND 35",
        "ALTER TABLE items ALTER COLUMN qty TYPE bigint",
        "INSERT INTO items (id, title, qty) VALUES (9005, 'big', 5000000000)",
        "UPDATE items SET qty = 6000000000 WHERE id = 40",
        "CREATE TABLE added (id int PRIMARY KEY, label text)",
        "INSERT INTO added SELECT g, 'row ' || g FROM generate_series(1, 300) g",
        "UPDATE added SET label = 'changed' WHERE id % 10 = 0",
        "DELETE FROM items WHERE id = 50",
    };

    @Test
    void schemaChangesMadeWhileStoppedAreFollowedInOrderOnRestart() {
        Pipeline p = pipeline();
        ChangeWorkload.createItems(source, p.sourceDb(), 500);
        PipelineRun first = engine.start(p.spec());
        awaitStreaming(first);
        source.execute(p.sourceDb(), "UPDATE items SET qty = 0 WHERE id <= 3");
        awaitEqual(p, ITEMS);
        awaitStoredPositionAfterChanges(first);
        stopRun(first);

        source.execute(p.sourceDb(), DDL_WITH_WRITES);

        PipelineRun second = engine.start(p.spec());
        awaitStreaming(second);
        awaitEqual(p, ITEMS, ADDED);
        source.execute(
                p.sourceDb(),
                "INSERT INTO items (id, title, qty, color) VALUES (9006, 'later', 7, 'green')",
                "UPDATE added SET label = 'streamed' WHERE id = 1");
        awaitEqual(p, ITEMS, ADDED);
        stopRun(second);
    }

    @Test
    void schemaChangesRacingTheStartAreFollowedInOrder() throws Exception {
        Pipeline p = pipeline();
        ChangeWorkload.createItems(source, p.sourceDb(), 500);
        PipelineRun first = engine.start(p.spec());
        awaitStreaming(first);
        source.execute(p.sourceDb(), "UPDATE items SET qty = 0 WHERE id <= 3");
        awaitEqual(p, ITEMS);
        awaitStoredPositionAfterChanges(first);
        stopRun(first);

        // One statement at a time on another thread while the run starts: each lands before,
        // during or after the start's checks and the stream's opening.
        CompletableFuture<Void> ddl =
                CompletableFuture.runAsync(
                        () -> {
                            for (String sql : DDL_WITH_WRITES) {
                                source.execute(p.sourceDb(), sql);
                            }
                        });
        PipelineRun second = engine.start(p.spec());
        ddl.get();
        awaitStreaming(second);
        awaitEqual(p, ITEMS, ADDED);
        stopRun(second);
    }

    @Test
    void aTargetChangedByHandStillFailsWithTheFixToRun() {
        Pipeline p = pipeline();
        ChangeWorkload.createItems(source, p.sourceDb(), 100);
        PipelineRun first = engine.start(p.spec());
        awaitStreaming(first);
        source.execute(p.sourceDb(), "UPDATE items SET qty = 0 WHERE id <= 3");
        awaitEqual(p, ITEMS);
        awaitStoredPositionAfterChanges(first);
        stopRun(first);
        target.execute(p.targetDb(), "ALTER TABLE items DROP COLUMN note");

        RunResult refused = engine.start(p.spec()).await();

        assertThat(refused.status()).isEqualTo(RunStatus.FAILED);
        assertThat(refused.error().code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
        assertThat(refused.error().getMessage())
                .contains("lacks the columns [note]")
                .contains("ALTER TABLE \"public\".\"items\" ADD COLUMN \"note\" text;");
    }

    @Test
    void aColumnAddedWithADefaultWhileStreamingGivesExistingRowsTheSameValue() {
        Pipeline p = pipeline();
        ChangeWorkload.createItems(source, p.sourceDb(), 300);
        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);

        source.execute(
                p.sourceDb(),
                "ALTER TABLE items ADD COLUMN c numeric DEFAULT 1.5",
                "INSERT INTO items (id, name) VALUES (9001, 'defaulted')",
                "INSERT INTO items (id, name, c) VALUES (9002, 'given', 2.25)",
                "ALTER TABLE items ADD COLUMN d numeric NOT NULL DEFAULT 1.5",
                "UPDATE items SET d = 3 WHERE id = 7");

        awaitEqual(p, ITEMS);
        stopRun(run);
    }

    @Test
    void aColumnAddedWithADefaultWhileStoppedGivesExistingRowsTheSameValue() {
        Pipeline p = pipeline();
        ChangeWorkload.createItems(source, p.sourceDb(), 300);
        PipelineRun first = engine.start(p.spec());
        awaitStreaming(first);
        source.execute(p.sourceDb(), "UPDATE items SET qty = 0 WHERE id <= 3");
        awaitEqual(p, ITEMS);
        awaitStoredPositionAfterChanges(first);
        stopRun(first);

        source.execute(
                p.sourceDb(),
                "INSERT INTO items (id, name) VALUES (9000, 'before')",
                "ALTER TABLE items ADD COLUMN c numeric DEFAULT 1.5",
                "INSERT INTO items (id, name) VALUES (9001, 'defaulted')",
                "ALTER TABLE items ADD COLUMN d numeric NOT NULL DEFAULT 1.5",
                "INSERT INTO items (id, name, c, d) VALUES (9002, 'given', 2.25, 4)");

        PipelineRun second = engine.start(p.spec());
        awaitStreaming(second);
        awaitEqual(p, ITEMS);
        stopRun(second);
    }

    /**
     * A volatile default and a type change with USING rewrite the table while the pipeline is
     * stopped: no row change is logged for the existing rows, so only a copy of the table makes the
     * target exact, and the stream sees the rewrite by the relfilenode stored with its position.
     */
    @Test
    void aTableRewrittenWhileStoppedIsCopiedAgainOnRestart() {
        Pipeline p = pipeline();
        ChangeWorkload.createItems(source, p.sourceDb(), 300);
        PipelineRun first = engine.start(p.spec());
        awaitStreaming(first);
        source.execute(p.sourceDb(), "UPDATE items SET qty = 7 WHERE id <= 3");
        awaitEqual(p, ITEMS);
        awaitStoredPositionAfterChanges(first);
        stopRun(first);

        source.execute(
                p.sourceDb(),
                "INSERT INTO items (id, name, qty) VALUES (9000, 'before', 1)",
                "ALTER TABLE items ADD COLUMN t timestamptz DEFAULT clock_timestamp()",
                "ALTER TABLE items ALTER COLUMN qty TYPE bigint USING qty * 2",
                "INSERT INTO items (id, name, qty) VALUES (9001, 'after', 2)",
                "UPDATE items SET name = 'changed' WHERE id = 10");

        PipelineRun second = engine.start(p.spec());
        awaitStreaming(second);
        awaitEqual(p, ITEMS);
        source.execute(p.sourceDb(), "UPDATE items SET qty = 0 WHERE id = 20");
        awaitEqual(p, ITEMS);
        stopRun(second);
    }

    /** See CdcPipelineIT: streaming, with a first stored position. */
    static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(2))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            if (progress.phase() == RunPhase.FAILED
                                    || progress.phase() == RunPhase.STOPPED) {
                                throw new AssertionError("the run ended: " + run.await().error());
                            }
                            return progress.phase() == RunPhase.STREAMING
                                    && progress.stream() != null
                                    && progress.stream().acknowledgedPosition() != null;
                        });
    }

    /**
     * Waits until the stored position has moved past the source's current WAL position, so that
     * what the test changed before is behind the stored position.
     */
    private static void awaitStoredPositionAfterChanges(PipelineRun run) {
        String now;
        try (Connection c = source.connect("postgres");
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            now = rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        long wanted = lsn(now);
        Awaitility.await("stored position past " + now)
                .atMost(Duration.ofMinutes(1))
                .until(
                        () -> {
                            String acknowledged = run.progress().stream().acknowledgedPosition();
                            return acknowledged != null && lsn(acknowledged) >= wanted;
                        });
    }

    private static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32)
                | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static void awaitEqual(Pipeline p, TableId... tables) {
        Awaitility.await("target equal to source")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            for (TableId t : tables) {
                                try (Connection from = source.connect(p.sourceDb());
                                        Connection to = target.connect(p.targetDb())) {
                                    Comparison c = TableComparator.compare(from, t, to, t);
                                    assertThat(c.equal()).as(c.toString()).isTrue();
                                }
                            }
                        });
    }

    private static void stopRun(PipelineRun run) {
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }
}
