package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.cli.StateProbe;
import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.StatusFile;
import io.siphon.engine.TableProgress;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.state.TableCopyRecord;
import io.siphon.engine.state.TableCopyStatus;
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
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon resnapshot} asks a {@code siphon run} in another process to copy one table again
 * while it streams; the run is killed with SIGKILL in the middle of the copy under continuous
 * writes, and the next run finishes the copy from its chunks not done. The target ends exactly
 * equal to the source.
 */
class TableResnapshotE2EIT {

    private static final String PIPELINE = "table-resnapshot";
    private static final TableId ITEMS = TableId.of("public", "items");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void aReSnapshotAskedFromAnotherProcessResumesAfterSigkillAndEndsExact() throws Exception {
        String source = PG.server().createDatabase("rs_e2e_src");
        String target = PG.server().createDatabase("rs_e2e_dst");
        ChangeWorkload.createItems(PG.server(), source, 80_000);
        Path spec = pipeline(source, target);
        Path stateDir = dir.resolve("state");

        Process first = siphon(stateDir, "run-1", "run", spec.toString());
        ChildSiphon.awaitStreaming(first, stateDir, PIPELINE, dir, "run-1");
        // Rows only a copy repairs: removed at the target behind the pipeline's back.
        PG.server().execute(target, "DELETE FROM items WHERE id % 10 = 0");

        try (ChangeWorkload workload = new ChangeWorkload(PG.server(), source, 80_000, 11, 1_000)) {
            Process ask =
                    siphon(
                            stateDir,
                            "resnapshot",
                            "resnapshot",
                            spec.toString(),
                            "--table",
                            "public.items");
            assertThat(ask.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(ask.exitValue()).as(output("resnapshot")).isZero();
            assertThat(output("resnapshot"))
                    .contains("Re-snapshot of public.items requested in pipeline " + PIPELINE);

            Awaitility.await("some chunks of the copy done")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                assertThat(first.isAlive()).as(output("run-1")).isTrue();
                                ResnapshotProgress r = resnapshot(stateDir);
                                return r != null && r.chunksDone() >= 3;
                            });
            ChildSiphon.kill(first);

            Process second = siphon(stateDir, "run-2", "run", spec.toString());
            ChildSiphon.awaitStreaming(second, stateDir, PIPELINE, dir, "run-2");
            Awaitility.await("copy resumed and done")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                assertThat(second.isAlive()).as(output("run-2")).isTrue();
                                // The status file shows no copy before the resumed one starts too;
                                // the store says when it is done.
                                return StateProbe.tableCopies(stateDir, PIPELINE, dir)
                                        .equals(List.of(TableCopyStatus.DONE));
                            });
            long before = workload.changes();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> workload.changes() > before);
            workload.close();
            Awaitility.await("target equal to source")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> {
                                try (Connection from = PG.server().connect(source);
                                        Connection to = PG.server().connect(target)) {
                                    Comparison c = TableComparator.compare(from, ITEMS, to, ITEMS);
                                    assertThat(c.equal()).as(c.toString()).isTrue();
                                }
                            });
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        try (StateStore state = StateStore.open(stateDir)) {
            List<TableCopyRecord> copies = state.tableCopies(PIPELINE);
            assertThat(copies).hasSize(1);
            assertThat(copies.getFirst().status()).isEqualTo(TableCopyStatus.DONE);
        }
    }

    private static ResnapshotProgress resnapshot(Path stateDir) {
        return StatusFile.read(stateDir, PIPELINE)
                .flatMap(
                        s ->
                                s.progress().tables().stream()
                                        .filter(t -> t.source().equals(ITEMS))
                                        .map(TableProgress::resnapshot)
                                        .filter(r -> r != null)
                                        .findFirst())
                .orElse(null);
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
                chunk-rows: 2000
                checkpoint-interval: 300ms
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target)));
    }

    private Process siphon(Path stateDir, String name, String... args) throws IOException {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--state-dir";
        all[args.length + 1] = stateDir.toString();
        return ChildSiphon.start(dir, name, all);
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
