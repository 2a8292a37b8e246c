package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.RunPhase;
import io.siphon.engine.StatusFile;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming pipeline through the command line, in this JVM, against real PostgreSQL: {@code run}
 * snapshots and streams until stopped, {@code status} shows it live and then stopped, a lost stream
 * position points at {@code --resnapshot}, which copies again, and {@code drop} removes the slot
 * and publication but keeps the target.
 */
class StreamRunIT {

    private static final String PIPELINE = "stream-run";
    private static final String SLOT = "siphon_stream_run";
    private static final TableId ORDERS = TableId.of("public", "orders");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void streamsShowsStatusResnapshotsAfterLostPositionAndDrops() throws Exception {
        String source = PG.server().createDatabase("stream_src");
        String target = PG.server().createDatabase("stream_dst");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE orders (id bigint PRIMARY KEY, note text, amount"
                                + " numeric(10,2))",
                        "INSERT INTO orders SELECT g, 'order ' || g, g / 4.0 FROM"
                                + " generate_series(1, 1000) g");
        Path spec = pipeline(source, target);
        Path stateDir = dir.resolve("state");

        Background run =
                Background.siphon("run", spec.toString(), "--state-dir", stateDir.toString());
        awaitPhase(stateDir, RunPhase.STREAMING);
        assertThat(status(stateDir).out())
                .contains(PIPELINE + "  streaming  live")
                .contains("  public.orders  1,000 rows  chunks 1/1");

        PG.server()
                .execute(
                        source,
                        "INSERT INTO orders SELECT g, 'new ' || g, 1.5 FROM generate_series(1001,"
                                + " 1100) g",
                        "UPDATE orders SET note = 'changed' WHERE id <= 50",
                        "DELETE FROM orders WHERE id BETWEEN 901 AND 910");
        Equality.awaitEqual(PG.server(), source, target, ORDERS, Duration.ofSeconds(60));
        Awaitility.await("changes counted in the status")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                status(stateDir)
                                        .out()
                                        .contains("changes: 100 inserts, 50 updates, 10 deletes"));
        assertThat(status(stateDir).out()).contains("  stream: read 0/").contains(" events/s");
        Awaitility.await("a plain stream line")
                .atMost(Duration.ofSeconds(15))
                .until(() -> run.out().contains(" events/s  read 0/"));

        CliOutcome stopped = run.interruptAndJoin();
        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
        assertThat(stopped.out())
                .contains("streaming changes")
                .contains("changes public.orders 100 inserts, 50 updates, 10 deletes")
                .containsPattern(
                        "Stopped; run the same command again to resume from 0/[0-9A-F]+\\.");
        assertThat(status(stateDir).out()).contains(PIPELINE + "  stopped  last seen ");
        assertThat(status(stateDir, "--json", PIPELINE).out())
                .startsWith(
                        "{\"progress\":{\"pipeline\":\"" + PIPELINE + "\",\"phase\":\"STOPPED\"");

        PG.server().execute(source, "SELECT pg_drop_replication_slot('" + SLOT + "')");
        CliOutcome lost = siphon("run", spec.toString(), "--state-dir", stateDir.toString());
        assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(1);
        assertThat(lost.err())
                .contains("error [POSITION_LOST]: ")
                .endsWith(
                        "  fix: run `siphon run "
                                + spec
                                + " --resnapshot` to copy the tables again and stream from"
                                + " there\n");

        PG.server().execute(source, "DELETE FROM orders WHERE id > 1000");
        Background again =
                Background.siphon(
                        "run", spec.toString(), "--state-dir", stateDir.toString(), "--resnapshot");
        awaitPhase(stateDir, RunPhase.STREAMING);
        Equality.awaitEqual(PG.server(), source, target, ORDERS, Duration.ofSeconds(60));
        CliOutcome resnapshot = again.interruptAndJoin();
        assertThat(resnapshot.exitCode()).as(resnapshot.toString()).isEqualTo(130);
        assertThat(resnapshot.out())
                .contains("Resnapshot: dropping the stream of " + PIPELINE)
                .contains("done public.orders: 990 rows");
        assertThat(slots(source)).isEqualTo(1);
        // The first copy's records at the target went with it: only the new copy's remain, and
        // no change has been streamed since.
        assertThat(
                        count(
                                target,
                                "SELECT count(DISTINCT snapshot) FROM siphon.applied_chunk WHERE"
                                        + " pipeline = '"
                                        + PIPELINE
                                        + "'"))
                .isEqualTo(1);
        assertThat(appliedPositions(target, PIPELINE)).isZero();

        CliOutcome drop = siphon("drop", spec.toString(), "--state-dir", stateDir.toString());
        assertThat(drop.exitCode()).as(drop.toString()).isZero();
        assertThat(drop.out())
                .contains("Dropped pipeline " + PIPELINE + ": removed its change stream")
                .contains("Its target tables and their data are kept.");
        assertThat(slots(source)).isZero();
        assertThat(
                        count(
                                source,
                                "SELECT count(*) FROM pg_publication WHERE pubname = '"
                                        + SLOT
                                        + "'"))
                .isZero();
        assertThat(count(target, "SELECT count(*) FROM orders")).isEqualTo(990);
        assertThat(status(stateDir).out())
                .isEqualTo("No pipeline has run with state directory " + stateDir + ".\n");
    }

    @Test
    void dropRemovesThePipelinesRecordsAtTheTargetSoThatAPipelineOfTheSameNameGetsEveryChange()
            throws Exception {
        String name = "drop-clean";
        String source = PG.server().createDatabase("drop_src");
        String target = PG.server().createDatabase("drop_dst");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE orders (id bigint PRIMARY KEY, note text, amount"
                                + " numeric(10,2))",
                        "INSERT INTO orders SELECT g, 'order ' || g, g / 4.0 FROM"
                                + " generate_series(1, 100) g");
        Path spec = pipeline(name, source, target);
        Path stateDir = dir.resolve("drop-state");

        Background run =
                Background.siphon("run", spec.toString(), "--state-dir", stateDir.toString());
        awaitPhase(stateDir, name, RunPhase.STREAMING);
        PG.server().execute(source, "UPDATE orders SET note = 'streamed' WHERE id <= 10");
        Equality.awaitEqual(PG.server(), source, target, ORDERS, Duration.ofSeconds(60));
        Awaitility.await("the applied position recorded at the target")
                .atMost(Duration.ofSeconds(60))
                .until(() -> appliedPositions(target, name) == 1);
        assertThat(run.interruptAndJoin().exitCode()).isEqualTo(130);
        // Another pipeline writing into the same target keeps its records.
        PG.server()
                .execute(
                        target,
                        "INSERT INTO siphon.applied_position (pipeline, target_table,"
                                + " commit_position, change_index) VALUES ('other',"
                                + " 'public.orders', 1, 0)",
                        // As a source further along in its WAL leaves them (the name once
                        // pointed at another server): left behind, every change of a new
                        // pipeline of this name would be skipped as already applied.
                        "UPDATE siphon.applied_position SET commit_position ="
                                + " 9000000000000000000 WHERE pipeline = '"
                                + name
                                + "'");

        CliOutcome drop = siphon("drop", spec.toString(), "--state-dir", stateDir.toString());
        assertThat(drop.exitCode()).as(drop.toString()).isZero();
        assertThat(drop.out())
                .contains("and its records of what it applied at the postgres target");
        assertThat(appliedPositions(target, name)).isZero();
        assertThat(
                        count(
                                target,
                                "SELECT count(*) FROM siphon.applied_chunk WHERE pipeline = '"
                                        + name
                                        + "'"))
                .isZero();
        assertThat(appliedPositions(target, "other")).isEqualTo(1);

        Background again =
                Background.siphon("run", spec.toString(), "--state-dir", stateDir.toString());
        awaitPhase(stateDir, name, RunPhase.STREAMING);
        PG.server()
                .execute(
                        source,
                        "INSERT INTO orders SELECT g, 'new ' || g, 1.5 FROM generate_series(101,"
                                + " 150) g",
                        "UPDATE orders SET note = 'again' WHERE id BETWEEN 11 AND 30",
                        "DELETE FROM orders WHERE id BETWEEN 91 AND 95");
        Equality.awaitEqual(PG.server(), source, target, ORDERS, Duration.ofSeconds(60));
        assertThat(again.interruptAndJoin().exitCode()).isEqualTo(130);
        assertThat(siphon("drop", spec.toString(), "--state-dir", stateDir.toString()).exitCode())
                .isZero();
    }

    private static long appliedPositions(String target, String pipeline) throws Exception {
        return count(
                target,
                "SELECT count(*) FROM siphon.applied_position WHERE pipeline = '" + pipeline + "'");
    }

    private Path pipeline(String source, String target) throws Exception {
        return pipeline(PIPELINE, source, target);
    }

    private Path pipeline(String name, String source, String target) throws Exception {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                """
                name: %s
                source:
                  type: postgres
                  url: %s
                  user: postgres
                  tables: [public.orders]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                mode: snapshot+cdc
                parallelism: 2
                checkpoint-interval: 200ms
                """
                        .formatted(name, PG.server().jdbcUrl(source), PG.server().jdbcUrl(target)));
    }

    private static CliOutcome status(Path stateDir, String... more) {
        String[] args = new String[more.length + 3];
        args[0] = "status";
        args[1] = "--state-dir";
        args[2] = stateDir.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        CliOutcome outcome = siphon(args);
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        return outcome;
    }

    private static void awaitPhase(Path stateDir, RunPhase phase) {
        awaitPhase(stateDir, PIPELINE, phase);
    }

    private static void awaitPhase(Path stateDir, String pipeline, RunPhase phase) {
        Awaitility.await("phase " + phase)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                StatusFile.read(stateDir, pipeline)
                                        .map(s -> s.progress().phase() == phase)
                                        .orElse(false));
    }

    private static long slots(String database) throws Exception {
        return count(
                database,
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
    }

    private static long count(String database, String sql) throws Exception {
        try (Connection c = PG.server().connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A command line running on a thread of its own; interrupting the thread stops the run the way
     * Ctrl-C does, through {@code PipelineRun.stop()}, without a signal to this JVM.
     */
    private static final class Background {

        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicInteger exitCode = new AtomicInteger(-1);
        private final Thread thread;

        private Background(String... args) {
            thread =
                    Thread.ofPlatform()
                            .name("siphon-cli-under-test")
                            .start(
                                    () ->
                                            exitCode.set(
                                                    SiphonCli.execute(
                                                            new PrintWriter(out, true),
                                                            new PrintWriter(err, true),
                                                            args)));
        }

        static Background siphon(String... args) {
            return new Background(args);
        }

        synchronized String out() {
            return out.toString();
        }

        CliOutcome interruptAndJoin() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(60));
            assertThat(thread.isAlive()).as("the run stopped").isFalse();
            return new CliOutcome(exitCode.get(), out.toString(), err.toString());
        }
    }
}
