package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.RedisServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Snapshot of one PostgreSQL table into Redis, Siphon against Redis's own write ceiling on this
 * machine, on the same rows in one run:
 *
 * <ol>
 *   <li>a source server gets one table of mixed types with N rows ({@link BenchTable});
 *   <li>native ceiling, as {@code redis-benchmark -P} measures it but with the table's own values:
 *       the rows are read into memory first (not timed), each as the hash of its columns' text;
 *       then P connections send one {@code HSET} per row in pipelines of {@value #PIPELINE}
 *       commands, timed from the first command to the last reply;
 *   <li>Siphon: a snapshot pipeline (hash format) from the source into the same Redis, timed from
 *       the run's start to COMPLETED, reading from PostgreSQL included;
 *   <li>both copies must hold one key per row.
 * </ol>
 *
 * Redis runs without persistence for both, so that neither pays for the other's fsyncs.
 *
 * <p>The last line printed is one JSON object with both rates and their ratio.
 */
public final class SnapshotRedisBenchmark {

    private static final String SOURCE_DB = "bench_source";
    private static final int PIPELINE = 10_000;

    private SnapshotRedisBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @param rows rows in the table
     * @param parallelism the pipeline's parallelism and the ceiling's connections (at least 1)
     * @throws SiphonException when a copy fails or lacks rows
     */
    public static String run(long rows, int parallelism, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "snapshot-redis: %,d rows, PostgreSQL 17 -> Redis 6.2, both embedded on this machine"
                        + " (%d cores)%n",
                rows,
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (PostgresServer source = PostgresServer.start();
                RedisServer redis = RedisServer.start(Map.of("appendonly", "no"))) {
            source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
            BenchTable.create(source, SOURCE_DB, rows);
            Duration nativeTime = nativeCeiling(redis, hashes(source), parallelism);
            printRate(
                    out,
                    "native pipelined HSET (" + parallelism + " connections)",
                    rows,
                    nativeTime);
            Duration siphonTime = siphonCopy(source, redis, parallelism);
            printRate(out, "siphon snapshot (parallelism " + parallelism + ")", rows, siphonTime);
            checkKeys(redis, "native:*", rows);
            checkKeys(redis, "siphon:*", rows);
            out.printf(Locale.ROOT, "verified: %,d keys for each copy%n", rows);
            double ratio = (double) nativeTime.toNanos() / siphonTime.toNanos();
            out.printf(Locale.ROOT, "ratio siphon/native: %.2f%n", ratio);
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"bench\":\"snapshot-redis\",\"rows\":%d,\"native_rows_per_s\":%d,"
                                    + "\"siphon_rows_per_s\":%d,\"ratio\":%.3f}",
                            rows,
                            perSecond(rows, nativeTime),
                            perSecond(rows, siphonTime),
                            ratio);
            out.println(json);
            out.flush();
            return json;
        }
    }

    /** Every source row as the hash of its columns' text (not null), keyed by id. */
    private static List<Map<byte[], byte[]>> hashes(PostgresServer source) {
        List<Map<byte[], byte[]>> hashes = new ArrayList<>();
        try (Connection c = source.connect(SOURCE_DB)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + BenchTable.ID)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Map<byte[], byte[]> hash = new HashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            String value = rs.getString(i);
                            if (value != null) {
                                hash.put(utf8(meta.getColumnName(i)), utf8(value));
                            }
                        }
                        hashes.add(hash);
                    }
                }
            }
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, "reading the source: " + e.getMessage(), e);
        }
        return hashes;
    }

    private static Duration nativeCeiling(
            RedisServer redis, List<Map<byte[], byte[]>> hashes, int connections) {
        try (ExecutorService threads = Executors.newFixedThreadPool(connections)) {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < connections; t++) {
                int first = t;
                done.add(
                        threads.submit(
                                () -> {
                                    try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
                                        Pipeline p = jedis.pipelined();
                                        int queued = 0;
                                        for (int i = first; i < hashes.size(); i += connections) {
                                            Map<byte[], byte[]> hash = hashes.get(i);
                                            p.hset(utf8("native:public.bench_rows:" + i), hash);
                                            if (++queued == PIPELINE) {
                                                p.sync();
                                                queued = 0;
                                            }
                                        }
                                        p.sync();
                                    }
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, "native HSET: " + e.getCause(), e.getCause());
        }
    }

    private static Duration siphonCopy(PostgresServer source, RedisServer redis, int parallelism) {
        String yaml =
                """
                name: bench-snapshot-redis
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: [%s]
                sink:
                  type: redis
                  url: %s
                  key-prefix: siphon
                mode: snapshot
                parallelism: %d
                """
                        .formatted(
                                source.jdbcUrl(SOURCE_DB),
                                PostgresServer.USER,
                                BenchTable.ID,
                                redis.url(),
                                parallelism);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors().parse(yaml, "bench-snapshot-redis");
        Path stateDir = TempDirectories.create("siphon-bench-state-");
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            long t0 = System.nanoTime();
            RunResult result = engine.start(spec).await();
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            if (result.status() != RunStatus.COMPLETED) {
                throw result.error() != null
                        ? result.error()
                        : new SiphonException(
                                ErrorCode.INTERNAL_ERROR,
                                "the Siphon run ended " + result.status());
            }
            return time;
        } finally {
            TempDirectories.deleteRecursively(stateDir);
        }
    }

    private static void checkKeys(RedisServer redis, String pattern, long rows) {
        long keys = 0;
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            ScanParams params = new ScanParams().match(pattern).count(10_000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> step = jedis.scan(cursor, params);
                keys += step.getResult().size();
                cursor = step.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        if (keys != rows) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "Redis holds "
                            + keys
                            + " keys matching "
                            + pattern
                            + " instead of "
                            + rows
                            + ", so the time means nothing");
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long perSecond(long rows, Duration d) {
        return Math.round(rows * 1e9 / Math.max(1, d.toNanos()));
    }

    private static void printRate(PrintWriter out, String what, long rows, Duration time) {
        out.printf(
                Locale.ROOT,
                "%s: %,d rows in %.2fs = %,d rows/s%n",
                what,
                rows,
                time.toNanos() / 1e9,
                perSecond(rows, time));
        out.flush();
    }
}
