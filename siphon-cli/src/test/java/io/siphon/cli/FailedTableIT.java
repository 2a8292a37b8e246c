package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table whose rows the target refuses is shown as failed, with its error code and message, in the
 * run's summary and in {@code siphon status}; the tables that did not fail are not.
 */
class FailedTableIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void aTableTheTargetRefusesIsShownAsFailedInTheSummaryAndTheStatus() throws Exception {
        String source = PG.server().createDatabase("failed_src");
        String target = PG.server().createDatabase("failed_dst");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE good (id int PRIMARY KEY, qty int)",
                        "INSERT INTO good SELECT g, g FROM generate_series(1, 100) g",
                        "CREATE TABLE bad (id int PRIMARY KEY, qty int)",
                        "INSERT INTO bad SELECT g, g FROM generate_series(1, 100) g");
        // The target's own rule refuses some of the rows; validate cannot know (a CHECK is not
        // part of the table's shape), so the write fails.
        PG.server()
                .execute(target, "CREATE TABLE bad (id int PRIMARY KEY, qty int CHECK (qty < 50))");
        Path spec =
                Files.writeString(
                        dir.resolve("pipeline.yaml"),
                        """
                        name: failed-table
                        source:
                          type: postgres
                          url: %s
                          user: postgres
                          tables: [public.good, public.bad]
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                        mode: snapshot
                        """
                                .formatted(
                                        PG.server().jdbcUrl(source), PG.server().jdbcUrl(target)));
        String stateDir = dir.resolve("state").toString();

        CliOutcome run = siphon("run", spec.toString(), "--state-dir", stateDir);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SiphonCli.EXIT_FAILED);
        assertThat(run.out())
                .as(run.toString())
                .contains("public.bad (FAILED)")
                .contains("public.bad failed: SINK_WRITE_FAILED")
                .doesNotContain("public.good (FAILED)");
        assertThat(run.err()).contains("public.bad", "bad_qty_check");

        CliOutcome status = siphon("status", "failed-table", "--state-dir", stateDir);

        assertThat(status.out())
                .as(status.toString())
                .containsPattern("public\\.bad  failed after [0-9,]+ rows: SINK_WRITE_FAILED")
                .contains("bad_qty_check")
                .doesNotContain("public.good  failed");
        assertThat(status.out()).doesNotContainPattern("public\\.bad  \\d+ rows  chunks");

        CliOutcome json = siphon("status", "failed-table", "--state-dir", stateDir, "--json");

        assertThat(json.out())
                .as(json.toString())
                .containsPattern(
                        "\"error\":\\{\"code\":\"SINK_WRITE_FAILED\",\"message\":\"[^\"]*bad");
    }
}
