package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot plus change data capture from MariaDB 11.4 (server zone +08:00, JVM zone
 * America/New_York) into PostgreSQL, through the engine in this JVM: the target ends exactly equal
 * to the source by the portable comparison, with writes before and after a DDL mid-stream.
 */
class MariaDbToPostgresIT {

    private static MariaDbServer source;
    private static PostgresServer target;
    private static SiphonEngine engine;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() {
        source = MariaDbServer.start();
        target = PostgresServer.start();
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stop() {
        engine.close();
        target.close();
        source.close();
    }

    @Test
    void snapshotAndStreamFromMariaDbEndExactlyEqualInPostgres() throws Exception {
        String sourceDb = source.createDatabase("maria_to_pg_src");
        String targetDb = target.createDatabase("maria_to_pg_dst");
        StringBuilder rows = new StringBuilder();
        for (int id = 1; id <= 3000; id++) {
            rows.append(id == 1 ? "" : ",")
                    .append("(")
                    .append(id)
                    .append(", 'item ")
                    .append(id)
                    .append(" \u00e9\uD83D\uDE00', ")
                    .append(id * 3L % 4_000_000_000L)
                    .append(", ")
                    .append(id)
                    .append(".25, '2024-01-02 03:04:05.123456', '2024-03-10 02:30:00.654321')");
        }
        source.execute(
                sourceDb,
                "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL,"
                        + " qty INT UNSIGNED, price DECIMAL(12,2), seen TIMESTAMP(6) NULL,"
                        + " wall DATETIME(6))",
                "SET time_zone = '+08:00'",
                "INSERT INTO items VALUES " + rows);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: maria-to-pg
                                source:
                                  type: mysql
                                  url: %s
                                  user: root
                                  tables: [%s.items]
                                  heartbeat-interval: 1s
                                sink:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  table: "public.{table}"
                                mode: snapshot+cdc
                                parallelism: 2
                                chunk-rows: 1000
                                checkpoint-interval: 500ms
                                """
                                        .formatted(
                                                source.jdbcUrl(sourceDb),
                                                sourceDb,
                                                target.jdbcUrl(targetDb)),
                                "maria-to-pg.yaml");
        PipelineRun run = engine.start(spec);
        source.execute(
                sourceDb,
                "UPDATE items SET qty = 4294967295, seen = '2038-01-19 03:14:07.999999'"
                        + " WHERE id = 7",
                "DELETE FROM items WHERE id BETWEEN 100 AND 120",
                "INSERT INTO items VALUES (5000, 'late', 1, 0.01, NULL, '1970-01-01 00:00:00')");
        awaitStreaming(run);
        source.execute(
                sourceDb,
                "UPDATE items SET price = price + 1 WHERE id % 10 = 0",
                "ALTER TABLE items ADD COLUMN note TEXT AFTER name",
                "INSERT INTO items (id, name, note) VALUES (6000, 'after ddl', 'emoji \uD83D\uDE00')",
                "UPDATE items SET note = 'noted' WHERE id = 1");
        TableId sourceTable = TableId.of(sourceDb, "items");
        TableId targetTable = TableId.of("public", "items");
        awaitEqual(sourceDb, sourceTable, targetDb, targetTable);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aTableWithoutAKeyIsRefusedBeforeAnyRowMoves() throws Exception {
        String sourceDb = source.createDatabase("maria_keyless_src");
        String targetDb = target.createDatabase("maria_keyless_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE events (msg VARCHAR(20))",
                "INSERT INTO events VALUES ('a'), ('a'), ('b')");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: maria-keyless
                                source:
                                  type: mysql
                                  url: %s
                                  user: root
                                  tables: [%s.events]
                                sink:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  table: "public.{table}"
                                mode: snapshot+cdc
                                """
                                        .formatted(
                                                source.jdbcUrl(sourceDb),
                                                sourceDb,
                                                target.jdbcUrl(targetDb)),
                                "maria-keyless.yaml");

        RunResult result = engine.start(spec).await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.CAPABILITY_MISSING);
        assertThat(result.error().getMessage())
                .contains(sourceDb + ".events")
                .contains("exclude-tables")
                .contains("mode: snapshot");
        assertThat(result.rowsWritten()).isZero();
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(3))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            // No acknowledgement asked: an idle binary log gives the stream no
                            // new position to store until the writes after this.
                            return progress.phase() == RunPhase.STREAMING
                                    && progress.stream() != null;
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
