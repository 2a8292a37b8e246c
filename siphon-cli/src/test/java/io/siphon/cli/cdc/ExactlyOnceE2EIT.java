package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.cli.StateProbe;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once into a PostgreSQL target, with {@code siphon run} in its own JVM killed with
 * SIGKILL: a table without a key, full of identical rows, must end with exactly the source's rows,
 * each as many times as at the source, however often changes are replayed after a kill.
 */
class ExactlyOnceE2EIT {

    private static final TableId HISTORY = TableId.of("public", "history");
    private static final TableId COUNTER = TableId.of("public", "counter");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void aKeylessTableWithDuplicateRowsEndsExactAfterThreeKillsUnderContinuousChanges()
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("ExactlyOnceE2EIT seed " + seed);
        String source = PG.server().createDatabase("eo_kill_src");
        String target = PG.server().createDatabase("eo_kill_dst");
        createHistory(PG.server(), source, 20_000);
        Path spec = pipeline("eo-kill", source, target, "300ms");
        Path stateDir = dir.resolve("kill-state");

        try (KeylessWorkload workload = KeylessWorkload.postgres(PG.server(), source, seed)) {
            for (int i = 1; i <= 3; i++) {
                String name = "kill-" + i;
                Process run = ChildSiphon.run(dir, name, spec, stateDir);
                ChildSiphon.awaitStreaming(run, stateDir, "eo-kill", dir, name);
                long before = workload.transactions();
                // Long enough for several checkpoints and for a large transaction to be cut by
                // one; the kill lands anywhere in the apply-commit-store cycle.
                Thread.sleep(1_000 + random.nextInt(3_000));
                assertThat(workload.transactions()).isGreaterThan(before);
                ChildSiphon.kill(run);
            }
        }

        Process last = ChildSiphon.run(dir, "kill-last", spec, stateDir);
        ChildSiphon.awaitStreaming(last, stateDir, "eo-kill", dir, "kill-last");
        awaitEqual(source, target, HISTORY, "seed " + seed);
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void changesCommittedAtTheTargetButNotInTheOffsetStoreAreNotAppliedAgain() throws Exception {
        String source = PG.server().createDatabase("eo_replay_src");
        String target = PG.server().createDatabase("eo_replay_dst");
        createHistory(PG.server(), source, 1_000);
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)",
                        "INSERT INTO counter VALUES (1, 0)");
        // Checkpoints never come within the test: the writers commit every 50 ms, but the
        // position is never stored nor acknowledged, so the next run replays every change.
        Path spec = pipeline("eo-replay", source, target, "1h");
        Path stateDir = dir.resolve("replay-state");

        Process first = ChildSiphon.run(dir, "replay-first", spec, stateDir);
        ChildSiphon.awaitStreaming(first, stateDir, "eo-replay", dir, "replay-first");
        String storedAtStart = StateProbe.offset(stateDir, "eo-replay", dir).orElseThrow();
        for (int i = 0; i < 100; i++) {
            PG.server()
                    .execute(
                            source,
                            "INSERT INTO history VALUES (" + (i % 3) + ", 1, 'same')",
                            "UPDATE counter SET n = n + 1 WHERE id = 1");
        }
        // One transaction larger than a poll, so that it reaches the target in several parts.
        PG.server()
                .execute(
                        source,
                        "INSERT INTO history SELECT g % 4, 2, 'bulk' FROM generate_series(1,"
                                + " 3000) g");
        awaitEqual(source, target, HISTORY, "first run");
        awaitEqual(source, target, COUNTER, "first run");
        assertThat(StateProbe.offset(stateDir, "eo-replay", dir)).contains(storedAtStart);
        ChildSiphon.kill(first);

        Process second = ChildSiphon.run(dir, "replay-second", spec, stateDir);
        ChildSiphon.awaitStreaming(second, stateDir, "eo-replay", dir, "replay-second");
        // Committed after every replayed change: once it is at the target, so is the replay.
        PG.server().execute(source, "INSERT INTO counter VALUES (2, 0)");
        Awaitility.await("the marker row at the target")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count(target, "SELECT count(*) FROM counter WHERE id = 2") == 1);

        assertThat(count(target, "SELECT n FROM counter WHERE id = 1")).isEqualTo(100);
        assertThat(count(target, "SELECT count(*) FROM history WHERE note = 'same'"))
                .isEqualTo(100);
        assertThat(count(target, "SELECT count(*) FROM history WHERE note = 'bulk'"))
                .isEqualTo(3000);
        awaitEqual(source, target, HISTORY, "after the replay");
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSnapshotOfAKeylessTableKilledMidwayKeepsEveryIdenticalRow() throws Exception {
        String source = PG.server().createDatabase("eo_snap_src");
        String target = PG.server().createDatabase("eo_snap_dst");
        createHistory(PG.server(), source, 300_000);
        Path spec =
                Files.writeString(
                        dir.resolve("eo-snap.yaml"),
                        """
                        name: eo-snap
                        source:
                          type: postgres
                          url: %s
                          user: postgres
                          tables: [public.history]
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                        mode: snapshot
                        parallelism: 2
                        chunk-rows: 10000
                        """
                                .formatted(
                                        PG.server().jdbcUrl(source), PG.server().jdbcUrl(target)));
        Path stateDir = dir.resolve("snap-state");

        Process first = ChildSiphon.run(dir, "snap-first", spec, stateDir);
        ChildSiphon.awaitChunksDone(first, stateDir, "eo-snap", dir, "snap-first", 3);
        ChildSiphon.kill(first);
        assertThat(count(target, "SELECT count(*) FROM history"))
                .as("rows at the target when killed")
                .isBetween(1L, 299_999L);

        // The rerun writes the unfinished chunks into a table that is no longer empty; their
        // identical rows must all arrive, not one of each.
        Process second = ChildSiphon.run(dir, "snap-second", spec, stateDir);
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).as(output("snap-second")).isZero();
        try (Connection from = PG.server().connect(source);
                Connection to = PG.server().connect(target)) {
            Comparison c = TableComparator.compare(from, HISTORY, to, HISTORY);
            assertThat(c.equal()).as(c.toString()).isTrue();
        }
    }

    @Test
    void aKeylessTableWhoseSnapshotIsKilledMidwayUnderChangesIsCopiedWholeBetweenWatermarks()
            throws Exception {
        long seed = System.nanoTime();
        System.out.println("ExactlyOnceE2EIT resume seed " + seed);
        String source = PG.server().createDatabase("eo_resume_src");
        String target = PG.server().createDatabase("eo_resume_dst");
        // Large enough, in small chunks, that the kill lands while the snapshot is still copying.
        createHistory(PG.server(), source, 400_000);
        Path spec = pipeline("eo-resume", source, target, "300ms");
        Path stateDir = dir.resolve("resume-state");

        Process second;
        try (KeylessWorkload workload = KeylessWorkload.postgres(PG.server(), source, seed)) {
            Process first = ChildSiphon.run(dir, "resume-first", spec, stateDir);
            ChildSiphon.awaitChunksDone(first, stateDir, "eo-resume", dir, "resume-first", 3);
            ChildSiphon.kill(first);
            // Changes between the first run's read point and the rerun's.
            long killedAt = workload.transactions();
            Awaitility.await("changes after the kill")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> workload.transactions() > killedAt + 100);

            second = ChildSiphon.run(dir, "resume-second", spec, stateDir);
            ChildSiphon.awaitStreaming(second, stateDir, "eo-resume", dir, "resume-second");
            Awaitility.await("the keyless table copied whole while streaming")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> log(stateDir).contains("Re-snapshot of public.history done"));
        }
        assertThat(log(stateDir))
                .as("the kill landed during the snapshot")
                .contains("copied whole between watermarks once the stream runs");
        awaitEqual(source, target, HISTORY, "seed " + seed);
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** The full log of the runs on a state directory (the terminal shows only warnings). */
    private static String log(Path stateDir) throws IOException {
        Path file = stateDir.resolve("siphon.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** A table without a key whose rows repeat many times over, as the stream needs it. */
    private static void createHistory(PostgresServer server, String database, int rows) {
        server.execute(
                database,
                "CREATE TABLE history (account int, delta int, note text)",
                "ALTER TABLE history REPLICA IDENTITY FULL",
                "INSERT INTO history SELECT g % 300, g % 3, CASE WHEN g % 5 = 0 THEN NULL ELSE"
                        + " 'seed' END FROM generate_series(1, "
                        + rows
                        + ") g");
    }

    private void awaitEqual(String source, String target, TableId table, String what) {
        Awaitility.await(table + " equal at the target")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            try (Connection from = PG.server().connect(source);
                                    Connection to = PG.server().connect(target)) {
                                Comparison c = TableComparator.compare(from, table, to, table);
                                assertThat(c.equal()).as(what + ": " + c).isTrue();
                            }
                        });
    }

    private static long count(String database, String sql) throws SQLException {
        try (Connection c = PG.server().connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private Path pipeline(String name, String source, String target, String checkpoint)
            throws IOException {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                """
                name: %s
                source:
                  type: postgres
                  url: %s
                  user: postgres
                  tables: ["public.*"]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 5000
                checkpoint-interval: %s
                """
                        .formatted(
                                name,
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target),
                                checkpoint));
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
