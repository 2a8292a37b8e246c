package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.TableResnapshotRequest;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.engine.state.TableCopyRecord;
import io.siphon.engine.state.TableCopyStatus;
import io.siphon.model.TableId;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot plus change data capture from MariaDB 11.4 (server zone +08:00, JVM zone
 * America/New_York) into PostgreSQL, through the engine in this JVM: the target ends exactly equal
 * to the source by the portable comparison, with writes before and after a DDL mid-stream, for a
 * table without a key (copied between binlog watermarks), and across a re-snapshot of a table while
 * it streams under writes, and for a table created while the pipeline streams.
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
        PipelineSpec spec = spec("maria-to-pg", sourceDb, "items", targetDb, 1_000);
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
    void aTableWithoutAKeyIsCopiedBetweenWatermarksAndEndsExactWithItsDuplicates()
            throws Exception {
        String sourceDb = source.createDatabase("maria_keyless_src");
        String targetDb = target.createDatabase("maria_keyless_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE events (msg VARCHAR(20), n INT)",
                "INSERT INTO events SELECT CONCAT('m', seq % 50), seq % 3 FROM seq_1_to_2000");
        PipelineRun run = engine.start(spec("maria-keyless", sourceDb, "events", targetDb, 500));
        // Identical rows come and go while the table is copied and streamed.
        source.execute(
                sourceDb,
                "INSERT INTO events VALUES ('m1', 1), ('m1', 1), ('new', NULL)",
                "DELETE FROM events WHERE msg = 'm2' LIMIT 1",
                "UPDATE events SET n = 9 WHERE msg = 'm3' LIMIT 2");
        awaitStreaming(run);
        source.execute(
                sourceDb,
                "INSERT INTO events VALUES ('m1', 1)",
                "DELETE FROM events WHERE msg = 'm1' AND n = 1 LIMIT 3",
                "UPDATE events SET msg = 'moved' WHERE msg = 'm4' LIMIT 1");
        TableId table = TableId.of(sourceDb, "events");
        awaitEqual(sourceDb, table, targetDb, TableId.of("public", "events"));
        assertThat(run.progress().phase()).isEqualTo(RunPhase.STREAMING);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aTableReSnapshottedWhileStreamingUnderWritesEndsExact() throws Exception {
        String sourceDb = source.createDatabase("maria_resnap_src");
        String targetDb = target.createDatabase("maria_resnap_dst");
        ChangeWorkload.createItems(source, sourceDb, 20_000);
        PipelineSpec spec = spec("maria-resnapshot", sourceDb, "items", targetDb, 2_000);
        PipelineRun run = engine.start(spec);
        awaitStreaming(run);
        // Rows that only a full copy repairs: removed at the target behind the pipeline's back.
        target.execute(targetDb, "DELETE FROM items WHERE id % 10 = 0");
        TableId items = TableId.of(sourceDb, "items");
        try (ChangeWorkload workload = new ChangeWorkload(source, sourceDb, 20_000, 11, 1_000)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> workload.changes() > 300);
            assertThat(
                            TableResnapshotRequest.record(
                                    engine.state(), spec, List.of(items.toString())))
                    .containsExactly(items);
            Awaitility.await("re-snapshot done")
                    .atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    engine.state().tableCopies(spec.name()).stream()
                                            .anyMatch(c -> c.status() == TableCopyStatus.DONE));
        }
        TableCopyRecord copy = engine.state().tableCopies(spec.name()).getLast();
        assertThat(copy.reason()).isEqualTo("requested");
        assertThat(engine.state().chunks(spec.name(), copy.snapshotId())).hasSizeGreaterThan(5);
        awaitEqual(sourceDb, items, targetDb, TableId.of("public", "items"));
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aTableCreatedWhileStreamingIsCopiedBetweenWatermarksThenStreamed() throws Exception {
        String sourceDb = source.createDatabase("maria_new_src");
        String targetDb = target.createDatabase("maria_new_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE items (id INT PRIMARY KEY, label VARCHAR(40))",
                "INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_100");
        PipelineSpec spec = spec("maria-new-table", sourceDb, "*", targetDb, 1_000);
        PipelineRun run = engine.start(spec);
        awaitStreaming(run);
        TableId items = TableId.of(sourceDb, "items");
        TableId added = TableId.of(sourceDb, "added");

        source.execute(
                sourceDb,
                "CREATE TABLE added (id INT PRIMARY KEY, label VARCHAR(40))",
                "INSERT INTO added SELECT seq, CONCAT('row ', seq) FROM seq_1_to_3000",
                "UPDATE items SET label = 'before' WHERE id < 10");
        awaitEqual(sourceDb, added, targetDb, TableId.of("public", "added"));
        source.execute(
                sourceDb,
                "UPDATE added SET label = 'changed' WHERE id % 100 = 0",
                "DELETE FROM added WHERE id > 2990",
                "INSERT INTO added VALUES (9999, 'streamed')",
                "UPDATE items SET label = 'after' WHERE id > 90");

        awaitEqual(sourceDb, added, targetDb, TableId.of("public", "added"));
        awaitEqual(sourceDb, items, targetDb, TableId.of("public", "items"));
        assertThat(run.progress().phase()).isEqualTo(RunPhase.STREAMING);
        // Copied while the stream ran, between binlog watermarks, not by a snapshot of its own.
        assertThat(engine.state().tableCopies(spec.name()))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.table()).isEqualTo(added);
                            assertThat(c.reason()).isEqualTo("new table");
                        });
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    private static PipelineSpec spec(
            String name, String sourceDb, String table, String targetDb, int chunkRows) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: %s
                        source:
                          type: mysql
                          url: %s
                          user: root
                          tables: [%s.%s]
                          heartbeat-interval: 1s
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                          table: "public.{table}"
                        mode: snapshot+cdc
                        parallelism: 2
                        chunk-rows: %d
                        checkpoint-interval: 500ms
                        discovery-interval: 1s
                        """
                                .formatted(
                                        name,
                                        source.jdbcUrl(sourceDb),
                                        sourceDb,
                                        table,
                                        target.jdbcUrl(targetDb),
                                        chunkRows),
                        name + ".yaml");
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
