package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.engine.StatusFile;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon run} with snapshot+cdc in its own JVM, killed with SIGKILL while streaming; then
 * every kind of column change and a new table are made at the source, with writes before and after
 * each; the next run follows them from the schema history stored with its position, and the target
 * ends exactly equal to the source.
 */
class SchemaChangesWhileKilledE2EIT {

    private static final String PIPELINE = "history-kill";
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableId ADDED = TableId.of("public", "added");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void schemaChangesMadeAfterASigkillAreFollowedInOrderOnRestart() throws Exception {
        String source = PG.server().createDatabase("hist_kill_src");
        String target = PG.server().createDatabase("hist_kill_dst");
        ChangeWorkload.createItems(PG.server(), source, 2_000);
        Path spec = pipeline(source, target);
        Path stateDir = dir.resolve("state");

        Process first = ChildSiphon.run(dir, "first", spec, stateDir);
        ChildSiphon.awaitStreaming(first, stateDir, PIPELINE, dir, "first");
        PG.server().execute(source, "UPDATE items SET qty = 0 WHERE id <= 3");
        awaitStoredPositionPast(currentWalPosition(source), stateDir);
        ChildSiphon.kill(first);

        PG.server().execute(source, SchemaHistoryIT.DDL_WITH_WRITES);

        Process second = ChildSiphon.run(dir, "second", spec, stateDir);
        ChildSiphon.awaitStreaming(second, stateDir, PIPELINE, dir, "second");
        Awaitility.await("target equal to source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            assertThat(second.isAlive()).as(output("second")).isTrue();
                            try (Connection from = PG.server().connect(source);
                                    Connection to = PG.server().connect(target)) {
                                for (TableId t : new TableId[] {ITEMS, ADDED}) {
                                    Comparison c = TableComparator.compare(from, t, to, t);
                                    assertThat(c.equal()).as(c.toString()).isTrue();
                                }
                            }
                        });
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private String currentWalPosition(String database) throws Exception {
        try (Connection c = PG.server().connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Waits until the run reports a stored position at or after {@code lsn}. */
    private static void awaitStoredPositionPast(String lsn, Path stateDir) {
        long wanted = lsn(lsn);
        Awaitility.await("stored position past " + lsn)
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                StatusFile.read(stateDir, PIPELINE)
                                        .map(s -> s.progress().stream())
                                        .map(s -> s.acknowledgedPosition())
                                        .map(p -> lsn(p) >= wanted)
                                        .orElse(false));
    }

    private static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32)
                | Long.parseLong(text.substring(slash + 1), 16);
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
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target)));
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
