package io.siphon.bench;

import io.siphon.connector.redis.RedisConnector;
import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.RedisServer;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Snapshot of one PostgreSQL table into Redis, Siphon against Redis's own write ceiling on this
 * machine, on the same keys and values in one run:
 *
 * <ol>
 *   <li>a source server gets one table of mixed types with N rows ({@link BenchTable});
 *   <li>warm-up, not timed: a Siphon snapshot (hash format) into Redis. It warms this JVM and Redis
 *       for both timed copies and gives the hashes the ceiling writes: every key and its fields as
 *       Siphon wrote them, read back into memory; then the database is emptied;
 *   <li>native ceiling, as {@code redis-benchmark -P} measures it but with these keys and values
 *       (the embedded Redis ships no {@code redis-benchmark}, and it could not send these hashes):
 *       P connections each send their slice of the keys as one {@code HSET} per key (its arguments
 *       built before the timing) in pipelines of {@value #PIPELINE} commands, timed from the first
 *       command to the last reply; every hash is read back and compared; then the database is
 *       emptied;
 *   <li>Siphon: the same snapshot pipeline again, timed from the run's start to COMPLETED (checking
 *       both sides, planning, reading PostgreSQL included);
 *   <li>the Siphon copy is verified: every key's hash equal to the ceiling's, and every row of the
 *       source equal to its hash read back as a row ({@code CopyCheck}).
 * </ol>
 *
 * Redis runs without persistence, so that neither copy pays for fsyncs.
 *
 * <p>The last line printed is one JSON object with both rates, their ratio and the load average.
 */
public final class SnapshotRedisBenchmark {

    private static final String SOURCE_DB = "bench_source";
    private static final String PREFIX = "siphon";
    private static final int PIPELINE = 10_000;

    /** A key and its hash's fields. */
    private record Hash(byte[] key, Map<byte[], byte[]> fields) {}

    private SnapshotRedisBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @param rows rows in the table
     * @param parallelism the pipeline's parallelism and the ceiling's connections (at least 1)
     * @throws SiphonException when a copy fails or differs
     */
    public static String run(long rows, int parallelism, PrintWriter out) {
        double loadBefore = SinkBenchmarks.loadAverage();
        out.printf(
                Locale.ROOT,
                "snapshot-redis: %,d rows, PostgreSQL 17 -> Redis 6.2, both embedded on this machine"
                        + " (%d cores)%n",
                rows,
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (PostgresServer source = PostgresServer.start();
                RedisServer redis = RedisServer.start(Map.of("appendonly", "no"));
                Jedis jedis = connect(redis)) {
            source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
            BenchTable.create(source, SOURCE_DB, rows);

            Duration warmup = siphonCopy(source, redis, parallelism);
            SinkBenchmarks.printRate(out, "warm-up siphon snapshot (not counted)", rows, warmup);
            List<Hash> hashes = new ArrayList<>();
            scanHashes(jedis, hashes::add);
            requireCount(hashes.size(), rows, "the warm-up copy");
            jedis.flushAll();

            List<byte[][]> commands = new ArrayList<>(hashes.size());
            for (Hash h : hashes) {
                commands.add(hsetArguments(h));
            }
            Duration nativeTime = nativeCeiling(redis, commands, parallelism);
            commands.clear();
            SinkBenchmarks.printRate(
                    out,
                    "native pipelined HSET (" + parallelism + " connections)",
                    rows,
                    nativeTime);
            Map<String, Map<String, byte[]>> expected = new HashMap<>(hashes.size() * 2);
            for (Hash h : hashes) {
                expected.put(text(h.key()), byName(h.fields()));
            }
            hashes.clear();
            checkHashes(jedis, expected, "the native copy");
            jedis.flushAll();

            Duration siphonTime = siphonCopy(source, redis, parallelism);
            SinkBenchmarks.printRate(
                    out, "siphon snapshot (parallelism " + parallelism + ")", rows, siphonTime);
            checkHashes(jedis, expected, "the Siphon copy");
            expected.clear();
            String hash;
            try (RedisConnector to =
                    (RedisConnector)
                            SinkBenchmarks.connector(
                                    "redis", Map.of("url", redis.url(), "key-prefix", PREFIX))) {
                hash = SinkBenchmarks.requireEqualToSource(source, SOURCE_DB, "Redis", to::rows);
            }
            out.printf(
                    Locale.ROOT,
                    "verified: %,d keys in each copy, the same keys and fields; the Siphon copy"
                            + " equal to the source (sha256 %s)%n",
                    rows,
                    hash);
            return SinkBenchmarks.finish(
                    out, "snapshot-redis", rows, nativeTime, siphonTime, loadBefore);
        }
    }

    /**
     * An {@code HSET}'s arguments (key, then each field and its value), built before the timing.
     */
    private static byte[][] hsetArguments(Hash h) {
        byte[][] arguments = new byte[1 + 2 * h.fields().size()][];
        arguments[0] = h.key();
        int i = 1;
        for (Map.Entry<byte[], byte[]> field : h.fields().entrySet()) {
            arguments[i++] = field.getKey();
            arguments[i++] = field.getValue();
        }
        return arguments;
    }

    private static Duration nativeCeiling(
            RedisServer redis, List<byte[][]> hsets, int connections) {
        try (ExecutorService threads = Executors.newFixedThreadPool(connections)) {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < connections; t++) {
                int from = (int) ((long) hsets.size() * t / connections);
                int to = (int) ((long) hsets.size() * (t + 1) / connections);
                done.add(
                        threads.submit(
                                () -> {
                                    try (Jedis jedis = connect(redis)) {
                                        Pipeline p = jedis.pipelined();
                                        int queued = 0;
                                        for (int i = from; i < to; i++) {
                                            p.sendCommand(Protocol.Command.HSET, hsets.get(i));
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
        } catch (ExecutionException e) {
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
                  key-prefix: %s
                mode: snapshot
                parallelism: %d
                """
                        .formatted(
                                source.jdbcUrl(SOURCE_DB),
                                PostgresServer.USER,
                                BenchTable.ID,
                                redis.url(),
                                PREFIX,
                                parallelism);
        return SinkBenchmarks.siphonCopy(yaml, "bench-snapshot-redis");
    }

    /** Every key of the database with its hash, a scan step at a time, the hashes pipelined. */
    private static void scanHashes(Jedis jedis, Consumer<Hash> each) {
        ScanParams params = new ScanParams().count(PIPELINE);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> step = jedis.scan(cursor, params);
            Pipeline p = jedis.pipelined();
            List<Response<Map<byte[], byte[]>>> replies = new ArrayList<>();
            for (byte[] key : step.getResult()) {
                replies.add(p.hgetAll(key));
            }
            p.sync();
            for (int i = 0; i < replies.size(); i++) {
                each.accept(new Hash(step.getResult().get(i), replies.get(i).get()));
            }
            cursor = step.getCursorAsBytes();
        } while (!Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
    }

    /** Every key of the database holds the expected hash, and no key is missing or extra. */
    private static void checkHashes(
            Jedis jedis, Map<String, Map<String, byte[]>> expected, String copy) {
        long[] read = {0};
        scanHashes(
                jedis,
                h -> {
                    Map<String, byte[]> want = expected.get(text(h.key()));
                    Map<String, byte[]> got = byName(h.fields());
                    boolean same = want != null && want.keySet().equals(got.keySet());
                    if (same) {
                        for (Map.Entry<String, byte[]> e : want.entrySet()) {
                            same &= Arrays.equals(e.getValue(), got.get(e.getKey()));
                        }
                    }
                    if (!same) {
                        throw new SiphonException(
                                ErrorCode.DATA_INVALID,
                                "Key " + text(h.key()) + " of " + copy + " is not the warm-up's");
                    }
                    read[0]++;
                });
        requireCount(read[0], expected.size(), copy);
    }

    private static void requireCount(long keys, long rows, String copy) {
        if (keys != rows) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "Redis holds "
                            + keys
                            + " keys of "
                            + copy
                            + " instead of "
                            + rows
                            + ", so the time means nothing");
        }
    }

    private static Map<String, byte[]> byName(Map<byte[], byte[]> fields) {
        Map<String, byte[]> named = new HashMap<>();
        fields.forEach((name, value) -> named.put(text(name), value));
        return named;
    }

    /**
     * A connection with the sink's read timeout (a minute), not Jedis' two seconds: a busy machine
     * can take longer than that over a pipeline of {@value #PIPELINE} commands.
     */
    private static Jedis connect(RedisServer redis) {
        return new Jedis("127.0.0.1", redis.port(), 60_000);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
