package io.siphon.cli.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.TestConnectors;
import io.siphon.connector.redis.RedisConnector;
import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import io.siphon.testkit.redis.RedisExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.CopyCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Snapshot plus change data capture from PostgreSQL into Redis through the engine in this JVM:
 * every key ends equal to its source row (value for value, as the change model carries it) and
 * Redis keeps no other row, across deletes, key changes, a truncate, added and dropped columns,
 * TOAST-unchanged values, and a Redis restart mid-stream; and the PostgreSQL type matrix stored
 * with each type's documented text, the same bytes from the snapshot as from the stream.
 */
class PostgresToRedisIT {

    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final TableId ITEMS = TableId.of("public", "items");

    private static PostgresServer source;
    private static SiphonEngine engine;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() {
        source = PostgresServer.start();
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stop() {
        engine.close();
        source.close();
    }

    @Test
    void snapshotAndStreamEndWithEveryKeyEqualToItsSourceRow() {
        for (String format : new String[] {"hash", "json"}) {
            String db = source.createDatabase("redis_src");
            source.execute(
                    db,
                    "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty bigint,"
                            + " price numeric(12,2), seen timestamptz, wall timestamp(6),"
                            + " body text, tags int[], doc jsonb, raw bytea)",
                    "INSERT INTO items SELECT i, 'item ' || i || ' \u00e9\uD83D\uDE00', i * 3,"
                            + " i + 0.25, '2024-01-02 03:04:05.123456+00',"
                            + " '2024-03-10 02:30:00.654321', repeat('x', 5000),"
                            + " ARRAY[i, NULL], '{\"n\": 1.50}', '\\x00ff'"
                            + " FROM generate_series(1, 3000) i");
            PipelineRun run = engine.start(spec(db, format));
            source.execute(
                    db,
                    "UPDATE items SET qty = NULL WHERE id = 7",
                    "DELETE FROM items WHERE id BETWEEN 100 AND 120");
            awaitStreaming(run);
            // body is TOASTed: updates that do not touch it bring it as unchanged.
            source.execute(
                    db,
                    "UPDATE items SET qty = qty + 1 WHERE id % 10 = 0",
                    "UPDATE items SET id = id + 100000 WHERE id BETWEEN 200 AND 205",
                    "DELETE FROM items WHERE id BETWEEN 300 AND 310",
                    "INSERT INTO items (id, name) VALUES (5000, 'late')");
            awaitEqual(db, format);
            source.execute(
                    db,
                    "ALTER TABLE items ADD COLUMN note text",
                    "INSERT INTO items (id, name, note) VALUES (6000, 'after ddl', 'noted')",
                    "UPDATE items SET note = 'changed' WHERE id = 1",
                    "ALTER TABLE items DROP COLUMN seen",
                    "UPDATE items SET name = 'renamed' WHERE id = 2");
            awaitEqual(db, format);
            source.execute(
                    db,
                    "TRUNCATE items",
                    "INSERT INTO items (id, name) VALUES (1, 'after truncate'), (2, 'two')");
            awaitEqual(db, format);
            run.stop();
            assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
        }
    }

    @Test
    void typeMatrixSnapshotAndStreamStoreEachTypesDocumentedText() {
        String db = source.createDatabase("redis_types");
        PostgresTypeMatrix.sourceStatements().forEach(sql -> source.execute(db, sql));
        PipelineRun run = engine.start(spec(db, "hash", PostgresTypeMatrix.TABLE));
        awaitStreaming(run);
        String columns = String.join(", ", PostgresTypeMatrix.columnNames());
        // Rows 101 to 106 come as inserts, rows 201 to 206 as updates of all-NULL rows, each with
        // the values of the snapshot's row 100 or 200 below it.
        source.execute(
                db,
                "INSERT INTO public.type_matrix (id, "
                        + columns
                        + ") SELECT id + 100, "
                        + columns
                        + " FROM public.type_matrix WHERE id <= 6",
                "INSERT INTO public.type_matrix (id) SELECT id + 200 FROM public.type_matrix"
                        + " WHERE id <= 6",
                "UPDATE public.type_matrix t SET ("
                        + columns
                        + ") = (SELECT "
                        + columns
                        + " FROM public.type_matrix s WHERE s.id = t.id - 200) WHERE t.id > 200");
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS.server().port())) {
            Awaitility.await("streamed rows stored as the snapshot's")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(
                            () -> {
                                for (int id = 1; id <= PostgresTypeMatrix.ROWS; id++) {
                                    Map<String, String> snapshot = fields(jedis, db, id);
                                    assertThat(jedis.exists(key(db, id + 200))).isTrue();
                                    assertThat(fields(jedis, db, id + 100))
                                            .as("insert of row %d", id)
                                            .isEqualTo(snapshot);
                                    assertThat(fields(jedis, db, id + 200))
                                            .as("update of row %d", id)
                                            .isEqualTo(snapshot);
                                }
                            });
            run.stop();
            assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
            // Row 1 is all NULL: a hash of the key alone.
            assertThat(fields(jedis, db, 1)).isEmpty();
            assertThat(fields(jedis, db, 2)).containsAllEntriesOf(text(ROW_2));
            assertThat(fields(jedis, db, 4)).containsAllEntriesOf(text(ROW_4));
            // bytea: the bytes themselves, zero bytes included.
            assertThat(fields(jedis, db, 2)).containsEntry("c_bytea", "deadbeef");
            assertThat(fields(jedis, db, 4)).containsEntry("c_bytea", "00ff00");
        }
    }

    /**
     * Row 2 of the matrix, typical values, one or more columns per line of the table of values in
     * docs/connectors/redis.md.
     */
    private static final Map<String, String> ROW_2 =
            Map.ofEntries(
                    Map.entry("c_bool", "true"),
                    Map.entry("c_int2", "1"),
                    Map.entry("c_int4", "2"),
                    Map.entry("c_int8", "3"),
                    Map.entry("c_numeric", "1.5"),
                    Map.entry("c_numeric_scaled", "12345678.1234"),
                    Map.entry("c_float4", "3.14"),
                    Map.entry("c_float8", "2.718281828459045"),
                    Map.entry("c_text", "hello"),
                    Map.entry("c_char", "ab   "),
                    Map.entry("c_mood", "happy"),
                    Map.entry("c_date", "2024-02-29"),
                    Map.entry("c_time", "12:34:56.789012"),
                    Map.entry("c_time3", "01:02:03.456"),
                    Map.entry("c_timestamp", "2024-02-29T12:34:56.123456"),
                    Map.entry("c_timestamptz", "2024-02-29T11:34:56.123456Z"),
                    Map.entry("c_interval", "P14M3DT14706.789012S"),
                    Map.entry("c_uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                    Map.entry("c_jsonb", "{\"a\": [true, null], \"b\": 1}"),
                    Map.entry("c_int4_array", "[1,null,-2147483648]"),
                    Map.entry("c_bit", "10101010"));

    /** Row 4 of the matrix: maximum and special values. */
    private static final Map<String, String> ROW_4 =
            Map.ofEntries(
                    Map.entry("c_int2", "32767"),
                    Map.entry("c_int8", "9223372036854775807"),
                    Map.entry("c_numeric", "NaN"),
                    Map.entry("c_float4", "3.4028235E38"),
                    Map.entry("c_float8", "Infinity"),
                    Map.entry("c_date", "+5874897-12-31"),
                    Map.entry("c_timestamp", "+294276-12-31T23:59:59.999999"),
                    Map.entry("c_int4_array", "[2147483647,-1,0]"));

    /** A row's hash fields but its key, as hex of their bytes (values may be any bytes). */
    private static Map<String, String> fields(Jedis jedis, String db, int id) {
        Map<String, String> out = new TreeMap<>();
        jedis.hgetAll(
                        (db + ":" + PostgresTypeMatrix.TABLE + ":" + id)
                                .getBytes(StandardCharsets.UTF_8))
                .forEach(
                        (k, v) ->
                                out.put(
                                        new String(k, StandardCharsets.UTF_8),
                                        HexFormat.of().formatHex(v)));
        out.remove("id");
        return out;
    }

    private static String key(String db, int id) {
        return db + ":" + PostgresTypeMatrix.TABLE + ":" + id;
    }

    /** Expected texts as hex of their UTF-8 bytes, to compare with {@link #fields}. */
    private static Map<String, String> text(Map<String, String> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach(
                (k, v) -> out.put(k, HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8))));
        return out;
    }

    @Test
    void redisRestartedMidStreamEndsEqual() {
        String db = source.createDatabase("redis_restart_src");
        source.execute(
                db,
                "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty bigint)",
                "INSERT INTO items SELECT i, 'item ' || i, i FROM generate_series(1, 2000) i");
        PipelineRun run = engine.start(spec(db, "hash"));
        awaitStreaming(run);
        source.execute(db, "UPDATE items SET qty = qty + 1 WHERE id % 3 = 0");
        REDIS.server().restart();
        source.execute(
                db,
                "UPDATE items SET qty = qty * 2 WHERE id % 5 = 0",
                "DELETE FROM items WHERE id BETWEEN 50 AND 80",
                "INSERT INTO items VALUES (9000, 'after restart', 1)");
        awaitEqual(db, "hash");
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    private static PipelineSpec spec(String db, String format) {
        return spec(db, format, ITEMS);
    }

    private static PipelineSpec spec(String db, String format, TableId table) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: pg-to-redis-%d
                        source:
                          type: postgres
                          url: %s
                          user: postgres
                          tables: [%s]
                          heartbeat-interval: 1s
                        sink:
                          type: redis
                          url: %s
                          key-prefix: %s
                          format: %s
                        mode: snapshot+cdc
                        parallelism: 2
                        chunk-rows: 1000
                        checkpoint-interval: 500ms
                        """
                                .formatted(
                                        NAMES.incrementAndGet(),
                                        source.jdbcUrl(db),
                                        table,
                                        REDIS.server().url(),
                                        db,
                                        format),
                        "pg-to-redis.yaml");
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(3))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase())
                                    .as(() -> String.valueOf(run.await().error()))
                                    .isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING;
                        });
    }

    /** Waits until every key of the table equals its source row and Redis has no other row. */
    private static void awaitEqual(String db, String format) {
        awaitEqual(db, format, ITEMS);
    }

    private static void awaitEqual(String db, String format, TableId table) {
        Awaitility.await("Redis equal to the source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            try (Connector pg = TestConnectors.postgres(source.jdbcUrl(db));
                                    RedisConnector redis =
                                            TestConnectors.redis(
                                                    REDIS.server().url(), db, format)) {
                                Comparison c =
                                        CopyCheck.compare(pg, table, "Redis", table, redis::rows);
                                assertThat(c.equal()).as(c.toString()).isTrue();
                            }
                        });
    }
}
