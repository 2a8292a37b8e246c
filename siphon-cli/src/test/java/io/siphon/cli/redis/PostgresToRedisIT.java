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
import io.siphon.testkit.redis.RedisExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.CopyCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot plus change data capture from PostgreSQL into Redis through the engine in this JVM:
 * every key ends equal to its source row (value for value, as the change model carries it) and
 * Redis keeps no other row, across deletes, key changes, a truncate, added and dropped columns,
 * TOAST-unchanged values, and a Redis restart mid-stream.
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
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: pg-to-redis-%d
                        source:
                          type: postgres
                          url: %s
                          user: postgres
                          tables: [public.items]
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
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING;
                        });
    }

    /** Waits until every key of the table equals its source row and Redis has no other row. */
    private static void awaitEqual(String db, String format) {
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
                                        CopyCheck.compare(pg, ITEMS, "Redis", ITEMS, redis::rows);
                                assertThat(c.equal()).as(c.toString()).isTrue();
                            }
                        });
    }
}
