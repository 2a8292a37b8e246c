package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot plus change data capture from PostgreSQL into MariaDB 11.4 (server zone +08:00, JVM zone
 * America/New_York), through the engine in this JVM: the target ends exactly equal to the source by
 * the portable comparison, whatever changed during the snapshot and while streaming.
 */
class PostgresToMariaDbIT {

    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableId ACCOUNTS = TableId.of("public", "accounts");

    private static PostgresServer source;
    private static MariaDbServer target;
    private static SiphonEngine engine;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() {
        source = PostgresServer.start();
        target = MariaDbServer.start();
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stop() {
        engine.close();
        target.close();
        source.close();
    }

    @Test
    void snapshotAndStreamFromPostgresEndExactlyEqualInMariaDb() throws Exception {
        String sourceDb = source.createDatabase("pg_to_maria_src");
        String targetDb = target.createDatabase("pg_to_maria_dst");
        ChangeWorkload.createItems(source, sourceDb, 20_000);
        source.execute(
                sourceDb,
                // A text key: VARCHAR(255) at the target, compared exactly ('a' and 'A' differ).
                "CREATE TABLE accounts (code text PRIMARY KEY, owner varchar(40), active boolean,"
                        + " balance numeric(12,2), opened date, wall timestamp(6),"
                        + " seen timestamptz(6), token uuid, avatar bytea, score double precision)",
                "INSERT INTO accounts VALUES"
                        + " ('a', 'Ann', true, 10.50, '2024-02-29', '2024-03-10 02:30:00.654321',"
                        + "  '2024-02-29 23:59:59.123456+00', '0f8fad5b-d9cb-469f-a165-70867728950e',"
                        + "  '\\x00ff10', 1.5),"
                        + " ('A', 'Big Ann', false, -0.01, '1970-01-01', '1970-01-01 00:00:00',"
                        + "  '2030-06-01 12:00:00+02', NULL, '\\x', -2.25),"
                        + " ('a ', 'Ann with a space', NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + "  NULL)");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: pg-to-maria
                                source:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  tables: [public.items, public.accounts]
                                  heartbeat-interval: 1s
                                sink:
                                  type: mysql
                                  url: %s
                                  user: root
                                  table: "%s.{table}"
                                mode: snapshot+cdc
                                parallelism: 2
                                chunk-rows: 5000
                                checkpoint-interval: 500ms
                                """
                                        .formatted(
                                                source.jdbcUrl(sourceDb),
                                                target.jdbcUrl(targetDb),
                                                targetDb),
                                "pg-to-maria.yaml");
        PipelineRun run;
        try (ChangeWorkload workload = new ChangeWorkload(source, sourceDb, 20_000, 7)) {
            run = engine.start(spec);
            awaitStreaming(run);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> workload.transactions() > 200);
        }
        source.execute(
                sourceDb,
                "UPDATE accounts SET balance = balance + 1, seen = '2038-01-19 03:14:07.999999+00'"
                        + " WHERE code = 'a'",
                "UPDATE accounts SET code = 'b' WHERE code = 'A'",
                "DELETE FROM accounts WHERE code = 'a '",
                "INSERT INTO accounts (code, owner, wall) VALUES ('ü', 'Ünal',"
                        + " '2024-11-03 01:30:00')",
                "ALTER TABLE accounts ADD COLUMN note text",
                "INSERT INTO accounts (code, owner, note) VALUES ('c', 'Cem', 'emoji \uD83D\uDE00')");

        TableId items = TableId.of(targetDb, "items");
        TableId accounts = TableId.of(targetDb, "accounts");
        awaitEqual(sourceDb, ITEMS, targetDb, items);
        awaitEqual(sourceDb, ACCOUNTS, targetDb, accounts);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);

        try (Connection c = target.connect(targetDb);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                                        + " WHERE TABLE_SCHEMA = '"
                                        + targetDb
                                        + "' AND TABLE_NAME = 'accounts' AND COLUMN_NAME IN"
                                        + " ('code', 'seen') ORDER BY COLUMN_NAME")) {
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("varchar(255)");
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("timestamp(6)");
        }
        // The instant shows in the session's zone, the server's +08:00; the wall clock never moves.
        try (Connection c = target.connect(targetDb);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT CAST(seen AS CHAR), CAST(wall AS CHAR) FROM accounts"
                                        + " WHERE code = 'b'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("2030-06-01 18:00:00.000000");
            assertThat(rs.getString(2)).isEqualTo("1970-01-01 00:00:00.000000");
        }
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(3))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING
                                    && progress.stream() != null
                                    && progress.stream().acknowledgedPosition() != null;
                        });
    }

    private static void awaitEqual(
            String sourceDb, TableId sourceTable, String targetDb, TableId targetTable) {
        Awaitility.await("target equal to source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            try (Connection from = source.connect(sourceDb);
                                    Connection to = target.connect(targetDb)) {
                                Comparison c =
                                        TableComparator.compare(from, sourceTable, to, targetTable);
                                assertThat(c.equal()).as(c.toString()).isTrue();
                            }
                        });
    }
}
