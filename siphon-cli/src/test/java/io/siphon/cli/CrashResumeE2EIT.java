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

        Process first = ChildSiphon.run(dir, "first", spec, stateDir);
        Awaitility.await("some chunks done")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                !first.isAlive()
                                        || StateProbe.doneChunks(stateDir, PIPELINE, dir) >= 5);
        assertThat(first.isAlive()).as("the first run ended before it could be killed").isTrue();
        ChildSiphon.kill(first);

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

        Process second = ChildSiphon.run(dir, "second", spec, stateDir);
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

    private static List<ChunkRecord> chunks(Path stateDir) {
        try (StateStore state = StateStore.open(stateDir)) {
            return state.chunks(PIPELINE);
        }
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
