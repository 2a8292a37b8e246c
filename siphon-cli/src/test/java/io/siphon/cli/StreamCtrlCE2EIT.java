package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.StatusFile;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming {@code siphon run} in its own JVM, stopped with a real SIGINT (Ctrl-C): {@code siphon
 * status} in this JVM sees it live while it runs, the run stops cleanly with exit 130 and the
 * position to resume from, and status then says when it was last seen.
 */
class StreamCtrlCE2EIT {

    private static final String PIPELINE = "ctrl-c";
    private static final TableId ITEMS = TableId.of("public", "items");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void ctrlCStopsAStreamingRunCleanlyWithItsPosition() throws Exception {
        String source = PG.server().createDatabase("ctrlc_src");
        String target = PG.server().createDatabase("ctrlc_dst");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE items (id int PRIMARY KEY, name text)",
                        "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
        Path spec =
                Files.writeString(
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
                        checkpoint-interval: 200ms
                        """
                                .formatted(
                                        PIPELINE,
                                        PG.server().jdbcUrl(source),
                                        PG.server().jdbcUrl(target)));
        Path stateDir = dir.resolve("state");

        Process run = ChildSiphon.run(dir, "run", spec, stateDir);
        ChildSiphon.awaitStreaming(run, stateDir, PIPELINE, dir, "run");
        PG.server().execute(source, "UPDATE items SET name = 'renamed' WHERE id <= 10");
        Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(60));
        // The change is at the target before its position is stored: the console can only name
        // a position to resume from once a checkpoint has stored one.
        Awaitility.await("a stored position")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                StatusFile.read(stateDir, PIPELINE)
                                        .map(s -> s.progress().stream())
                                        .map(stream -> stream.acknowledgedPosition() != null)
                                        .orElse(false));
        CliOutcome live = siphon("status", "--state-dir", stateDir.toString());
        assertThat(live.out()).startsWith(PIPELINE + "  streaming  live  (run time ");
        assertThat(live.out()).contains("pid " + run.pid() + ")");

        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(run.exitValue()).as(output()).isEqualTo(130);
        assertThat(Files.readString(dir.resolve("run.out")))
                .containsPattern(
                        "Stopped; run the same command again to resume from 0/[0-9A-F]+\\.");
        assertThat(Files.readString(dir.resolve("run.err")))
                .contains("Stopping cleanly: recording")
                .doesNotContain("warning:");
        assertThat(siphon("status", "--state-dir", stateDir.toString(), PIPELINE).out())
                .startsWith(PIPELINE + "  stopped  last seen ");
        assertThat(siphon("drop", spec.toString(), "--state-dir", stateDir.toString()).exitCode())
                .isZero();
    }

    private String output() {
        return ChildSiphon.output(dir, "run");
    }
}
