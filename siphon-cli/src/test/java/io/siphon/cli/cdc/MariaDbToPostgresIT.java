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
import io.siphon.engine.TableResnapshotRequest;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.engine.state.TableCopyRecord;
import io.siphon.engine.state.TableCopyStatus;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
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
 * it streams under writes, and for a table created while the pipeline streams; every MySQL type
 * lands exactly in PostgreSQL and in MariaDB, in snapshot and stream; a restart of MariaDB
 * mid-stream is ridden out, and a binary log purged past the stored position is POSITION_LOST.
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

    @Test
    void aMariaDbRestartMidStreamUnderWritesIsRiddenOutAndEndsExact() throws Exception {
        String sourceDb = source.createDatabase("maria_restart_src");
        String targetDb = target.createDatabase("maria_restart_dst");
        ChangeWorkload.createItems(source, sourceDb, 2_000);
        PipelineRun run = engine.start(spec("maria-restart", sourceDb, "items", targetDb, 1_000));
        awaitStreaming(run);
        try (ChangeWorkload workload = new ChangeWorkload(source, sourceDb, 2_000, 5)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> workload.transactions() > 50);
            source.restart();
            long afterRestart = workload.transactions();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> workload.transactions() > afterRestart + 50);
        }
        TableId items = TableId.of(sourceDb, "items");
        awaitEqual(sourceDb, items, targetDb, TableId.of("public", "items"));
        assertThat(run.progress().phase()).isEqualTo(RunPhase.STREAMING);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aBinlogPurgedPastTheStoredPositionIsPositionLostAndResnapshotRecovers() throws Exception {
        String sourceDb = source.createDatabase("maria_purged_src");
        String targetDb = target.createDatabase("maria_purged_dst");
        ChangeWorkload.createItems(source, sourceDb, 500);
        PipelineSpec spec = spec("maria-purged", sourceDb, "items", targetDb, 1_000);
        PipelineRun first = engine.start(spec);
        awaitStreaming(first);
        source.execute(sourceDb, "UPDATE items SET qty = 1 WHERE id = 1");
        awaitEqual(
                sourceDb, TableId.of(sourceDb, "items"), targetDb, TableId.of("public", "items"));
        first.stop();
        assertThat(first.await().status()).isEqualTo(RunStatus.STOPPED);
        // Changes the stopped pipeline has not read, then their log gone.
        source.execute(
                sourceDb,
                "DELETE FROM items WHERE id <= 100",
                "INSERT INTO items (id, name) VALUES (90000, 'while lost')");
        try (Connection c = source.connect(sourceDb)) {
            // A replica connection still closing keeps its log: purge until only the newest is
            // left.
            Awaitility.await("binary logs purged")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                c.createStatement().execute("FLUSH BINARY LOGS");
                                String newest = binaryLogs(c).getLast();
                                c.createStatement()
                                        .execute("PURGE BINARY LOGS TO '" + newest + "'");
                                return binaryLogs(c).size() == 1;
                            });
        }

        RunResult lost = engine.start(spec).await();

        assertThat(lost.status()).isEqualTo(RunStatus.FAILED);
        assertThat(lost.error().code()).isEqualTo(ErrorCode.POSITION_LOST);
        assertThat(lost.error().getMessage())
                .contains("--resnapshot")
                .contains("binlog_expire_logs_seconds");

        engine.resnapshot(spec);
        PipelineRun again = engine.start(spec);
        awaitStreaming(again);
        source.execute(sourceDb, "UPDATE items SET qty = -1 WHERE id = 90000");
        awaitEqual(
                sourceDb, TableId.of(sourceDb, "items"), targetDb, TableId.of("public", "items"));
        again.stop();
        assertThat(again.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void everyMySqlTypeLandsExactlyInPostgresAndInMariaDbInSnapshotAndStream() throws Exception {
        String sourceDb = source.createDatabase("maria_types_src");
        String pgDb = target.createDatabase("maria_types_pg");
        String mariaDb = source.createDatabase("maria_types_dst");
        source.execute(sourceDb, MySqlTypeMatrix.CREATE_TABLE);
        source.execute(sourceDb, MySqlTypeMatrix.INSERTS.toArray(String[]::new));
        PipelineRun toPostgres = engine.start(typesSpec("maria-types-pg", sourceDb, pgSink(pgDb)));
        PipelineRun toMariaDb =
                engine.start(typesSpec("maria-types-maria", sourceDb, mariaSink(mariaDb)));
        awaitStreaming(toPostgres);
        awaitStreaming(toMariaDb);
        source.execute(sourceDb, MySqlTypeMatrix.STREAM_COPY);

        SqlRows.awaitExactly(
                target, pgDb, PG_MATRIX_TEXT, SqlRows.withCopies(MATRIX_IN_POSTGRES, 100));
        // Zero dates are NULL under zero-dates: null; spatial values land as their WKT text.
        SqlRows.awaitExactly(
                source,
                mariaDb,
                MySqlTypeMatrix.MYSQL_TEXT.formatted("geo"),
                SqlRows.withCopies(MATRIX_IN_MARIADB, 100));
        toPostgres.stop();
        toMariaDb.stop();
        assertThat(toPostgres.await().status()).isEqualTo(RunStatus.STOPPED);
        assertThat(toMariaDb.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    private static final String PG_MATRIX_TEXT =
            "SELECT id, flag, i8, u8, i16, u16, i24, u24, i32, u32, i64, u64, dec65, f, d, bits,"
                    + " bit64, y, day, span, wall, extract(epoch FROM instant), name, latin, body,"
                    + " encode(fixed, 'hex'), encode(bin, 'hex'), encode(blob_, 'hex'), mood, tags,"
                    + " doc, geo FROM types ORDER BY id";

    /**
     * The matrix in PostgreSQL, by the rules of docs/type-mapping.md: unsigned integers widened
     * (BIGINT UNSIGNED as numeric(20,0)), TIME as an interval (beyond a day and negative kept),
     * YEAR 0000 as 0, SET as text[], ENUM as text, spatial values as (E)WKT text, zero dates NULL.
     */
    private static final List<String> MATRIX_IN_POSTGRES =
            List.of(
                    "1|t|127|255|32767|65535|8388607|16777215|2147483647|4294967295|"
                            + "9223372036854775807|18446744073709551615|"
                            + "99999999999999999999999999999999999.999999999999999999999999999999|"
                            + "1.5|1.7976931348623157e+308|1111111111|"
                            + "1111111111111111111111111111111111111111111111111111111111111111|"
                            + "2155|9999-12-31|838:59:59|9999-12-31 23:59:59.999999|"
                            + "2147483647.999999|caf\u00e9 \ud83d\ude00 \ud834\udd1e|"
                            + "d\u00e9j\u00e0 \u00ff|it's \"quoted\"|01020300|00ff10|deadbeef|"
                            + "happy|{x,z}|{\"a\": [1, 2.5, null], \"b\": \"\u00e9\"}|"
                            + "POINT(1.5 -2)|",
                    "2|f|-128|0|-32768|0|-8388608|0|-2147483648|0|-9223372036854775808|"
                            + "9223372036854775808|-0.000000000000000000000000000001|-0.1|"
                            + "-2.25e-300|0000000001|"
                            + "0000000000000000000000000000000000000000000000000000000000000000|"
                            + "1901|1000-01-01|-838:59:59|1000-01-01 00:00:00|1.000000||||"
                            + "00000000|||sad|{}|[]|LINESTRING(0 0,1 1)|",
                    "3|t|0|1|0|1|0|1|0|1|0|1|12345.678900000000000000000000000001|3.25|"
                            + "0.1|1000000000|"
                            + "1000000000000000000000000000000000000000000000000000000000000001|"
                            + "0|2024-02-29|-00:00:01.25|2024-03-10 02:30:00.654321|"
                            + "1730611800.500000|\u00dcnal|fa\u00e7ade|line 1|ff000000|00|00|ok|"
                            + "{x,y,z}|{\"n\": 1}|SRID=4326;POLYGON((0 0,1 0,1 1,0 0))|",
                    "4|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|100:00:00.5|null|null|null|null|"
                            + "null|null|null|null|null|null|null|null|",
                    "5|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|");

    /** The matrix in MariaDB: the source's values, but zero dates NULL and spatial ones as text. */
    private static final List<String> MATRIX_IN_MARIADB =
            List.of(
                    "1|1|127|255|32767|65535|8388607|16777215|2147483647|4294967295|"
                            + "9223372036854775807|18446744073709551615|"
                            + "99999999999999999999999999999999999.999999999999999999999999999999|"
                            + "1.5|1.7976931348623157e308|1111111111|"
                            + "1111111111111111111111111111111111111111111111111111111111111111|"
                            + "2155|9999-12-31|838:59:59.000000|9999-12-31 23:59:59.999999|"
                            + "2147483647.999999|caf\u00e9 \ud83d\ude00 \ud834\udd1e|"
                            + "d\u00e9j\u00e0 \u00ff|it's \"quoted\"|01020300|00FF10|DEADBEEF|"
                            + "happy|x,z|{\"a\": [1, 2.5, null], \"b\": \"\u00e9\"}|"
                            + "POINT(1.5 -2)|",
                    "2|0|-128|0|-32768|0|-8388608|0|-2147483648|0|-9223372036854775808|"
                            + "9223372036854775808|-0.000000000000000000000000000001|-0.1|"
                            + "-2.25e-300|0000000001|"
                            + "0000000000000000000000000000000000000000000000000000000000000000|"
                            + "1901|1000-01-01|-838:59:59.000000|1000-01-01 00:00:00.000000|"
                            + "1.000000||||00000000|||sad||[]|LINESTRING(0 0,1 1)|",
                    "3|1|0|1|0|1|0|1|0|1|0|1|12345.678900000000000000000000000001|3.25|"
                            + "0.1|1000000000|"
                            + "1000000000000000000000000000000000000000000000000000000000000001|"
                            + "0000|2024-02-29|-00:00:01.250000|2024-03-10 02:30:00.654321|"
                            + "1730611800.500000|\u00dcnal|fa\u00e7ade|line 1|FF000000|00|00|ok|"
                            + "x,y,z|{\"n\": 1}|SRID=4326;POLYGON((0 0,1 0,1 1,0 0))|",
                    "4|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|100:00:00.500000|null|null|null|"
                            + "null|null|null|null|null|null|null|null|null|",
                    "5|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|");

    private static PipelineSpec typesSpec(String name, String sourceDb, String sink) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: %s
                        source:
                          type: mysql
                          url: %s
                          user: root
                          tables: [%s.types]
                          heartbeat-interval: 1s
                          zero-dates: "null"
                        sink:
                        %s
                        mode: snapshot+cdc
                        checkpoint-interval: 500ms
                        """
                                .formatted(name, source.jdbcUrl(sourceDb), sourceDb, sink),
                        name + ".yaml");
    }

    private static String pgSink(String database) {
        return """
                  type: postgres
                  url: %s
                  user: postgres
                  table: "public.{table}"
                """
                .formatted(target.jdbcUrl(database));
    }

    private static String mariaSink(String database) {
        return """
                  type: mysql
                  url: %s
                  user: root
                  table: "%s.{table}"
                """
                .formatted(source.jdbcUrl(database), database);
    }

    private static List<String> binaryLogs(Connection c) throws Exception {
        List<String> logs = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                logs.add(rs.getString(1));
            }
        }
        return logs;
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
