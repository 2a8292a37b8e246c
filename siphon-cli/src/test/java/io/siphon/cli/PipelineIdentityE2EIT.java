package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.state.PipelineLock;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.NonSuperuserSource;
import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline, one running copy: with a non-superuser source and an owner-managed publication, a
 * second copy of a running pipeline (same state directory from another process, or another state
 * directory) fails fast naming the first and leaves its target alone; {@code validate} and {@code
 * status} work beside a running pipeline; {@code drop} from a state directory that does not own the
 * replication slot refuses, unless {@code --force}.
 */
class PipelineIdentityE2EIT {

    private static final String PIPELINE = "identity";
    private static final String SLOT = "siphon_identity";
    private static final TableId ITEMS = TableId.of("shop", "items");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void aSecondCopyFailsFastAndDropFromTheWrongStateDirectoryRefuses() throws Exception {
        String source =
                NonSuperuserSource.create(
                        PG.server(),
                        "identity_src",
                        "CREATE TABLE shop.items (id int PRIMARY KEY, name text)",
                        "INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1,"
                                + " 200) g",
                        "CREATE PUBLICATION siphon_pub FOR TABLE shop.items");
        String target = PG.server().createDatabase("identity_dst");
        Path spec = spec(PIPELINE, source, target);
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");

        Process run = ChildSiphon.run(dir, "first", spec, first);
        try {
            ChildSiphon.awaitStreaming(run, first, PIPELINE, dir, "first");
            Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(90));

            CliOutcome sameDir = siphon("run", spec.toString(), "--state-dir", first.toString());
            assertThat(sameDir.exitCode()).as(sameDir.toString()).isEqualTo(1);
            assertThat(sameDir.err())
                    .startsWith(
                            "error [PIPELINE_ALREADY_RUNNING]: pipeline "
                                    + PIPELINE
                                    + " is already running (process "
                                    + run.pid()
                                    + " on "
                                    + PipelineLock.hostName()
                                    + " with state directory "
                                    + first.toAbsolutePath()
                                    + " since ");

            CliOutcome otherDir = siphon("run", spec.toString(), "--state-dir", second.toString());
            assertThat(otherDir.exitCode()).as(otherDir.toString()).isEqualTo(1);
            assertThat(otherDir.err())
                    .contains(
                            "error [PIPELINE_ALREADY_RUNNING]: Pipeline "
                                    + PIPELINE
                                    + " is already running elsewhere: its replication slot "
                                    + SLOT
                                    + " at ")
                    .contains("is in use by siphon@")
                    .contains(":" + run.pid() + " ");

            CliOutcome validate =
                    siphon("validate", spec.toString(), "--state-dir", first.toString());
            assertThat(validate.exitCode()).as(validate.toString()).isZero();
            assertThat(validate.out()).startsWith("OK: 1 table");
            Path another = spec("another", source, target);
            CliOutcome validateAnother =
                    siphon("validate", another.toString(), "--state-dir", first.toString());
            assertThat(validateAnother.exitCode()).as(validateAnother.toString()).isZero();
            CliOutcome status = siphon("status", PIPELINE, "--state-dir", first.toString());
            assertThat(status.out()).startsWith(PIPELINE + "  streaming  live");

            CliOutcome dropWhileRunning =
                    siphon("drop", spec.toString(), "--state-dir", second.toString());
            assertThat(dropWhileRunning.exitCode()).as(dropWhileRunning.toString()).isEqualTo(1);
            assertThat(dropWhileRunning.err())
                    .startsWith("error [PIPELINE_ALREADY_RUNNING]: Pipeline " + PIPELINE)
                    .contains("nothing was dropped");

            NonSuperuserSource.asOwner(
                    PG.server(),
                    source,
                    "UPDATE shop.items SET name = 'still streaming' WHERE id <= 20",
                    "DELETE FROM shop.items WHERE id > 190");
            Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(90));
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ChildSiphon.output(dir, "first"))
                .as("a SIGTERM is not called Ctrl-C")
                .contains("Stopping cleanly: recording")
                .doesNotContain("Ctrl-C");

        CliOutcome stoppedOther = siphon("run", spec.toString(), "--state-dir", second.toString());
        assertThat(stoppedOther.exitCode()).as(stoppedOther.toString()).isEqualTo(1);
        assertThat(stoppedOther.err())
                .startsWith(
                        "error [STATE_CONFLICT]: Replication slot "
                                + SLOT
                                + " of pipeline "
                                + PIPELINE
                                + " exists at ")
                .contains("this state directory holds no position of it");
        Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(90));

        CliOutcome wrongDir = siphon("drop", spec.toString(), "--state-dir", second.toString());
        assertThat(wrongDir.exitCode()).as(wrongDir.toString()).isEqualTo(1);
        assertThat(wrongDir.err())
                .startsWith("error [STATE_CONFLICT]: Replication slot " + SLOT)
                .contains("nothing was dropped")
                .contains("--force");
        assertThat(slots(source)).isEqualTo(1);

        CliOutcome forced =
                siphon("drop", spec.toString(), "--state-dir", second.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(slots(source)).isZero();
        assertThat(
                        query(
                                source,
                                "SELECT count(*) FROM pg_publication WHERE pubname ="
                                        + " 'siphon_pub'"))
                .as("the owner's publication stays")
                .isEqualTo(1);
    }

    private Path spec(String name, String source, String target) throws Exception {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                """
                name: %s
                source:
                  type: postgres
                  url: %s
                  user: siphon
                  tables: [shop.items]
                  publication-name: siphon_pub
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

    private static int slots(String db) throws Exception {
        return query(
                db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
    }

    private static int query(String db, String sql) throws Exception {
        try (Connection c = PG.server().connect(db);
                var s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
