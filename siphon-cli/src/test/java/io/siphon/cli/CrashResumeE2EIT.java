package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.state.ChunkRecord;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon run} killed with SIGKILL in the middle of a snapshot, in its own JVM, then run
 * again with the same state directory: the rerun reads only the chunks that were not finished, and
 * the target ends up equal to the source.
 */
class CrashResumeE2EIT {

    private static final String PIPELINE = "crash-resume";
    private static final TableId TABLE = TableId.of("public", "mixed");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void rerunAfterKillReadsOnlyUnfinishedChunks() throws Exception {
        String source = PG.server().createDatabase("crash_src");
        String target = PG.server().createDatabase("crash_dst");
        MixedRows.create(PG.server(), source, TABLE.toString(), 1_000_000);
        Path spec = pipeline(source, target);
        Path stateDir = dir.resolve("state");

        Process first = siphonProcess(spec, stateDir, "first");
        Awaitility.await("some chunks done")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !first.isAlive() || doneChunks(copyOfState(stateDir)) >= 5);
        assertThat(first.isAlive()).as("the first run ended before it could be killed").isTrue();
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        List<ChunkRecord> atKill = chunks(stateDir);
        // About 1,000,000 / 10,000 chunks; the planner rounds by its row estimate.
        assertThat(atKill.size()).isBetween(90, 110);
        Map<Integer, ChunkRecord> doneBeforeKill =
                atKill.stream()
                        .filter(c -> c.status() == ChunkStatus.DONE)
                        .collect(Collectors.toMap(ChunkRecord::index, c -> c));
        assertThat(doneBeforeKill.size()).isBetween(1, atKill.size() - 1);
        long firstRun = doneBeforeKill.values().iterator().next().doneInRun();
        assertThat(doneBeforeKill.values())
                .allSatisfy(c -> assertThat(c.doneInRun()).isEqualTo(firstRun));

        Process second = siphonProcess(spec, stateDir, "second");
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).as(output("second")).isZero();
        assertThat(Files.readString(dir.resolve("second.out"))).contains(", resumed");

        List<ChunkRecord> after = chunks(stateDir);
        assertThat(after).hasSize(atKill.size());
        assertThat(after).allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.DONE));
        for (ChunkRecord c : after) {
            ChunkRecord before = doneBeforeKill.get(c.index());
            if (before != null) {
                assertThat(c.reads())
                        .as("reads of chunk %d, done before the kill", c.index())
                        .isEqualTo(1);
                assertThat(c.doneInRun())
                        .as("run of chunk %d", c.index())
                        .isEqualTo(before.doneInRun());
                assertThat(c.rowsWritten()).isEqualTo(before.rowsWritten());
            } else {
                assertThat(c.doneInRun())
                        .as("run of chunk %d, not done before the kill", c.index())
                        .isNotEqualTo(firstRun);
            }
        }
        try (Connection from = PG.server().connect(source);
                Connection to = PG.server().connect(target)) {
            Comparison comparison = TableComparator.compare(from, TABLE, to, TABLE);
            assertThat(comparison.equal()).as(comparison.toString()).isTrue();
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
                  tables: [%s]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                mode: snapshot
                parallelism: 2
                chunk-rows: 10000
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                TABLE,
                                PG.server().jdbcUrl(target)));
    }

    private Process siphonProcess(Path spec, Path stateDir, String name) throws IOException {
        return ChildSiphon.start(
                dir, name, "run", spec.toString(), "--state-dir", stateDir.toString());
    }

    /**
     * A copy of the state directory: the running child holds the H2 file open, so the test reads a
     * copy (a copy taken mid-write may not open; the next poll takes another).
     */
    private Path copyOfState(Path stateDir) throws IOException {
        Path copy = Files.createTempDirectory(dir, "probe-");
        Path file = stateDir.resolve("state.mv.db");
        if (Files.exists(file)) {
            Files.copy(file, copy.resolve("state.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private static long doneChunks(Path stateDir) {
        try {
            return chunks(stateDir).stream().filter(c -> c.status() == ChunkStatus.DONE).count();
        } catch (RuntimeException copyTakenMidWrite) {
            return 0;
        }
    }

    private static List<ChunkRecord> chunks(Path stateDir) {
        try (StateStore state = StateStore.open(stateDir)) {
            return state.chunks(PIPELINE);
        }
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
