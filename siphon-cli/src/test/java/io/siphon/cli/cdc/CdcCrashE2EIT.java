package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.engine.RunPhase;
import io.siphon.engine.StatusFile;
import io.siphon.engine.state.ChunkStatus;
import io.siphon.engine.state.StateStore;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon run} with snapshot+cdc in its own JVM, under continuous writes at the source,
 * killed with SIGKILL three times mid-snapshot and three times mid-stream at random moments; a last
 * run catches up. The target must end exactly equal to the source: nothing lost, nothing doubled.
 */
class CdcCrashE2EIT {

    private static final String PIPELINE = "cdc-crash";
    private static final TableId ITEMS = TableId.of("public", "items");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void killedThreeTimesMidSnapshotAndThreeTimesMidStreamEndsExactlyEqual() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String source = PG.server().createDatabase("crash_cdc_src");
        String target = PG.server().createDatabase("crash_cdc_dst");
        ChangeWorkload.createItems(PG.server(), source, 150_000);
        System.out.println("CdcCrashE2EIT seed " + seed);
        Path spec = pipeline(source, target);
        Path stateDir = dir.resolve("state");

        try (ChangeWorkload workload = new ChangeWorkload(PG.server(), source, 150_000, seed)) {
            // About 30 chunks: kill three times mid-snapshot, each after a few more are done.
            long killAt = 0;
            for (int i = 0; i < 3; i++) {
                killAt += 2 + random.nextInt(5);
                long chunksToReach = killAt;
                Process run = siphon(spec, stateDir, "snapshot-" + i);
                Awaitility.await("snapshot chunks done")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !run.isAlive() || doneChunks(stateDir) >= chunksToReach);
                assertThat(run.isAlive())
                        .as(
                                "seed %d: snapshot run %d ended early: %s",
                                seed, i, output("snapshot-" + i))
                        .isTrue();
                kill(run);
            }

            for (int i = 1; i <= 3; i++) {
                Process run = siphon(spec, stateDir, "run-" + i);
                awaitStreaming(run, stateDir, "run-" + i);
                long before = workload.transactions();
                Thread.sleep(500 + random.nextInt(2500));
                assertThat(workload.transactions()).isGreaterThan(before);
                kill(run);
            }
        }

        Process last = siphon(spec, stateDir, "run-last");
        awaitStreaming(last, stateDir, "run-last");
        Awaitility.await("target equal to source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            try (Connection from = PG.server().connect(source);
                                    Connection to = PG.server().connect(target)) {
                                Comparison c = TableComparator.compare(from, ITEMS, to, ITEMS);
                                assertThat(c.equal()).as("seed " + seed + ": " + c).isTrue();
                            }
                        });
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private void awaitStreaming(Process run, Path stateDir, String name) {
        awaitStreaming(dir, PIPELINE, run, stateDir, name);
    }

    /**
     * Waits until the child run {@code name} (output kept under {@code outputDir}) of {@code
     * pipeline} says in its status file that it streams.
     */
    static void awaitStreaming(
            Path outputDir, String pipeline, Process run, Path stateDir, String name) {
        Awaitility.await(name + " streaming")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            assertThat(run.isAlive())
                                    .as(ChildSiphon.output(outputDir, name))
                                    .isTrue();
                            return StatusFile.read(stateDir, pipeline)
                                    .map(
                                            s ->
                                                    s.progress().phase() == RunPhase.STREAMING
                                                            && s.processId() == run.pid())
                                    .orElse(false);
                        });
    }

    /** Kills a child run with SIGKILL and checks that it died of it. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    private long doneChunks(Path stateDir) {
        try {
            Path copy = Files.createTempDirectory(dir, "probe-");
            Path file = stateDir.resolve("state.mv.db");
            if (!Files.exists(file)) {
                return 0;
            }
            Files.copy(file, copy.resolve("state.mv.db"), StandardCopyOption.REPLACE_EXISTING);
            try (StateStore state = StateStore.open(copy)) {
                return state.chunks(PIPELINE).stream()
                        .filter(c -> c.status() == ChunkStatus.DONE)
                        .count();
            }
        } catch (IOException | RuntimeException copyTakenMidWrite) {
            return 0;
        }
    }

    private Path pipeline(String source, String target) throws IOException {
        return Files.writeString(
                dir.resolve("pipeline.yaml"),
                """
                name: %s
                source:
                  type: postgres
                  url: %s
                  user: postgres
                  tables: [public.items]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 5000
                checkpoint-interval: 300ms
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target)));
    }

    private Process siphon(Path spec, Path stateDir, String name) throws IOException {
        return ChildSiphon.start(
                dir, name, "run", spec.toString(), "--state-dir", stateDir.toString());
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
