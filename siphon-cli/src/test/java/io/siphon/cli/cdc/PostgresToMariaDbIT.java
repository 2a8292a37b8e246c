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
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot plus change data capture from PostgreSQL into MariaDB 11.4 (server zone +08:00, JVM zone
 * America/New_York), through the engine in this JVM: the target ends exactly equal to the source by
 * the portable comparison, whatever changed during the snapshot and while streaming, and every
 * PostgreSQL type of the matrix lands exactly, in snapshot and stream.
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

    @Test
    void everyPostgresTypeLandsExactlyInMariaDbInSnapshotAndStream() throws Exception {
        String sourceDb = source.createDatabase("pg_types_src");
        String targetDb = target.createDatabase("pg_types_dst");
        source.execute(
                sourceDb,
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE types (id int PRIMARY KEY, flag boolean, i16 smallint, i32 integer,"
                        + " i64 bigint, dec65 numeric(65,30), num numeric, r real,"
                        + " d double precision, bits bit(10), vbits bit varying(8), day date,"
                        + " tod time(6), wall timestamp(6), instant timestamptz(6), span interval,"
                        + " name text, label varchar(20), code char(3), bytes bytea, token uuid,"
                        + " feeling mood, doc json, docb jsonb, tags text[])",
                "INSERT INTO types VALUES (1, true, 32767, 2147483647, 9223372036854775807,"
                        + " 99999999999999999999999999999999999.999999999999999999999999999999,"
                        + " 123456789012345678901234567890.123456789012345678901234567890, 1.5,"
                        + " 1.7976931348623157e308, B'1111111111', B'1010', '9999-12-31',"
                        + " '23:59:59.999999', '9999-12-31 23:59:59.999999',"
                        + " '2038-01-19 03:14:07.999999+00', '1 year 2 mons 3 days 04:05:06.5',"
                        + " 'caf\u00e9 \uD83D\uDE00 \uD834\uDD1E', 'label', 'ab ', '\\x00ff10',"
                        + " '0f8fad5b-d9cb-469f-a165-70867728950e', 'happy',"
                        + " '{\"a\": [1, 2.5, null], \"b\": \"\u00e9\"}', '{\"b\": 1, \"a\": 2}',"
                        + " ARRAY['x', 'y'])",
                "INSERT INTO types VALUES (2, false, -32768, -2147483648, -9223372036854775808,"
                        + " -0.000000000000000000000000000001, -1, -0.1, -2.25e-300,"
                        + " B'0000000001', B'', '1000-01-01', '00:00:00', '1000-01-01 00:00:00',"
                        + " '1970-01-01 00:00:01+00', '-00:00:01.25', '', '', '', '\\x',"
                        + " '00000000-0000-0000-0000-000000000000', 'sad', '[]', '{}', '{}')",
                "INSERT INTO types VALUES (3, true, 0, 0, 0, 12345.678900000000000000000000000001,"
                        + " 0.5, 3.25, 0.1, B'1000000000', B'11111111', '2024-02-29',"
                        + " '12:00:00.5', '2024-03-10 02:30:00.654321', '2024-11-03 01:30:00-04',"
                        + " '838:59:59', '\u00dcnal', 'it''s \"quoted\"', 'x', '\\xff',"
                        + " 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'ok', '{\"n\": 1}', 'null',"
                        + " ARRAY[NULL, 'z'])",
                "INSERT INTO types (id) VALUES (4)");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: pg-types-maria
                                source:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  tables: [public.types]
                                  heartbeat-interval: 1s
                                sink:
                                  type: mysql
                                  url: %s
                                  user: root
                                  table: "%s.{table}"
                                mode: snapshot+cdc
                                checkpoint-interval: 500ms
                                """
                                        .formatted(
                                                source.jdbcUrl(sourceDb),
                                                target.jdbcUrl(targetDb),
                                                targetDb),
                                "pg-types-maria.yaml");
        PipelineRun run = engine.start(spec);
        awaitStreaming(run);
        source.execute(
                sourceDb,
                "INSERT INTO types SELECT id + 100, flag, i16, i32, i64, dec65, num, r,"
                        + " d, bits, vbits, day, tod, wall, instant, span, name, label, code,"
                        + " bytes, token, feeling, doc, docb, tags FROM types");

        String text =
                "SELECT id, flag, i16, i32, i64, dec65, num, CAST(r AS CHAR), CAST(d AS CHAR),"
                        + " LPAD(BIN(bits), 10, '0'), vbits, CAST(day AS CHAR),"
                        + " CAST(tod AS CHAR), CAST(wall AS CHAR),"
                        + " UNIX_TIMESTAMP(instant), span, name, label, code, HEX(bytes), token,"
                        + " feeling, doc, docb, tags FROM types ORDER BY id";
        SqlRows.awaitExactly(target, targetDb, text, SqlRows.withCopies(MATRIX_IN_MARIADB, 100));
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    /**
     * The PostgreSQL matrix in MariaDB, by the rules of docs/connectors/mysql.md: unbounded numeric
     * as decimal(65,30), bit varying as 0/1 text, an interval as ISO 8601 text with months, days
     * and seconds apart, uuid as text, jsonb in its normal form, arrays as JSON, char(n) padded.
     */
    private static final List<String> MATRIX_IN_MARIADB =
            List.of(
                    "1|1|32767|2147483647|9223372036854775807|"
                            + "99999999999999999999999999999999999.999999999999999999999999999999|"
                            + "123456789012345678901234567890.123456789012345678901234567890|1.5|"
                            + "1.7976931348623157e308|1111111111|1010|9999-12-31|23:59:59.999999|"
                            + "9999-12-31 23:59:59.999999|2147483647.999999|P14M3DT14706.5S|"
                            + "caf\u00e9 \ud83d\ude00 \ud834\udd1e|label|ab |00FF10|"
                            + "0f8fad5b-d9cb-469f-a165-70867728950e|happy|"
                            + "{\"a\": [1, 2.5, null], \"b\": \"\u00e9\"}|{\"a\": 2, \"b\": 1}|"
                            + "[\"x\", \"y\"]|",
                    "2|0|-32768|-2147483648|-9223372036854775808|"
                            + "-0.000000000000000000000000000001|"
                            + "-1.000000000000000000000000000000|-0.1|-2.25e-300|0000000001||"
                            + "1000-01-01|00:00:00.000000|1000-01-01 00:00:00.000000|1.000000|"
                            + "P0M0DT-1.25S|||   ||00000000-0000-0000-0000-000000000000|sad|[]|"
                            + "{}|[]|",
                    "3|1|0|0|0|12345.678900000000000000000000000001|"
                            + "0.500000000000000000000000000000|3.25|0.1|1000000000|11111111|"
                            + "2024-02-29|12:00:00.500000|2024-03-10 02:30:00.654321|"
                            + "1730611800.000000|P0M0DT3020399S|\u00dcnal|it's \"quoted\"|x  |FF|"
                            + "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|ok|{\"n\": 1}|null|"
                            + "[null, \"z\"]|",
                    "4|null|null|null|null|null|null|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null|null|null|null|null|null|null|");

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
