package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.model.TableId;
import io.siphon.testkit.mariadb.MariaDbExtension;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB to PostgreSQL with {@code siphon run} in its own JVM killed with SIGKILL three times
 * while it copies and then three times while it streams, under continuous changes of a keyed table
 * and of a keyless one full of identical rows: after the last restart both targets equal the source
 * by the portable comparison.
 */
class MariaDbCrashE2EIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();
    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void killedThreeTimesMidSnapshotAndThreeTimesMidStreamUnderWritesEndsExact() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("MariaDbCrashE2EIT seed " + seed);
        String source = MARIADB.server().createDatabase("maria_kill_src");
        String target = PG.server().createDatabase("maria_kill_dst");
        ChangeWorkload.createItems(MARIADB.server(), source, 100_000);
        MARIADB.server()
                .execute(
                        source,
                        "CREATE TABLE history (account INT, delta INT, note TEXT)",
                        "INSERT INTO history SELECT seq % 300, seq % 3, CASE WHEN seq % 5 = 0"
                                + " THEN NULL ELSE 'seed' END FROM seq_1_to_20000");
        Path spec =
                Files.writeString(
                        dir.resolve("maria-kill.yaml"),
                        """
                        name: maria-kill
                        source:
                          type: mysql
                          url: %s
                          user: root
                          tables: ["%s.*"]
                          heartbeat-interval: 1s
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                          table: "public.{table}"
                        mode: snapshot+cdc
                        parallelism: 2
                        chunk-rows: 2500
                        checkpoint-interval: 300ms
                        """
                                .formatted(
                                        MARIADB.server().jdbcUrl(source),
                                        source,
                                        PG.server().jdbcUrl(target)));
        Path stateDir = dir.resolve("state");

        try (ChangeWorkload keyed =
                        new ChangeWorkload(MARIADB.server(), source, 100_000, seed, 500);
                KeylessWorkload keyless = KeylessWorkload.mariaDb(MARIADB.server(), source, seed)) {
            // 40 chunks of items: each run copies a few more, then dies.
            for (int i = 1; i <= 3; i++) {
                ChildSiphon.killMidSnapshot(
                        dir, "snapshot-" + i, spec, stateDir, "maria-kill", random, 40);
            }
            for (int i = 1; i <= 3; i++) {
                // The kill lands anywhere in the apply-commit-store cycle, or in a table copy.
                ChildSiphon.killMidStream(
                        dir,
                        "stream-" + i,
                        spec,
                        stateDir,
                        "maria-kill",
                        random,
                        () -> keyed.transactions() + keyless.transactions());
            }
        }

        Process last = ChildSiphon.run(dir, "last", spec, stateDir);
        ChildSiphon.awaitStreaming(last, stateDir, "maria-kill", dir, "last");
        awaitEqual(source, target, "items", "seed " + seed);
        awaitEqual(source, target, "history", "seed " + seed);
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitEqual(String source, String target, String table, String what) {
        Awaitility.await(table + " equal at the target")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            try (Connection from = MARIADB.server().connect(source);
                                    Connection to = PG.server().connect(target)) {
                                Comparison c =
                                        TableComparator.compare(
                                                from,
                                                TableId.of(source, table),
                                                to,
                                                TableId.of("public", table));
                                assertThat(c.equal()).as(what + ": " + c).isTrue();
                            }
                        });
    }
}
