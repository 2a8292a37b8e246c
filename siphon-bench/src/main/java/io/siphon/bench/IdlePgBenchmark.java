package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunResult;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How much CPU an idle streaming pipeline uses: one table of 1,000 rows in an embedded PostgreSQL,
 * a {@code snapshot+cdc} pipeline into another database of the same server, started in this JVM;
 * once it streams and has idled for the warm-up, the CPU time of this process and of each of its
 * Java threads is taken over the measured window, with no change at the source. The servers are
 * other processes and do not count.
 *
 * <p>Threads are named without the Hazelcast instance name (threads of one name, such as pools that
 * replaced a thread, count as one line). What the JVM spends outside Java threads (JIT compilers,
 * GC, the VM thread) is the process time less the threads' sum. Afterwards one row is inserted and
 * the target must equal the source, so the pipeline measured was really streaming.
 *
 * <p>On Linux the JVM's own threads (JIT compilers, garbage collector) are read from {@code
 * /proc/self/task} and shown apart. After the measurement, the stream idles a few times and one row
 * is inserted after each spell, timed until the target has it.
 *
 * <p>The last line printed is one JSON object: {@code bench}, {@code warmup_s}, {@code measure_s},
 * {@code process_cpu_pct} (of one core), {@code first_change_ms} (each timed row) and {@code
 * threads} (percent per thread group).
 */
public final class IdlePgBenchmark {

    private static final String SOURCE_DB = "idle_src";
    private static final String TARGET_DB = "idle_dst";
    private static final TableId TABLE = new TableId("public", "idle_rows");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String OUTSIDE_THREADS = "JVM outside Java threads (JIT, GC, VM)";

    /**
     * What to run.
     *
     * @param warmup how long the pipeline idles before the measurement (the JIT settles)
     * @param measure how long the measurement lasts
     * @param checkpointInterval the pipeline's {@code checkpoint-interval}, or null for its default
     * @param probes how many single changes are timed after the measurement
     * @param probeIdle how long the stream idles before each of them
     */
    public record Settings(
            Duration warmup,
            Duration measure,
            Duration checkpointInterval,
            int probes,
            Duration probeIdle) {}

    private IdlePgBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line; returns the process's CPU
     * use in percent of one core.
     *
     * @throws SiphonException when the pipeline fails or its target differs from its source
     */
    public static double run(Settings settings, PrintWriter out) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "this JVM cannot measure the CPU time of a thread");
        }
        threads.setThreadCpuTimeEnabled(true);
        try (PostgresServer server = PostgresServer.start()) {
            server.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
            server.execute("postgres", "CREATE DATABASE " + TARGET_DB);
            server.execute(
                    SOURCE_DB,
                    "CREATE TABLE idle_rows (id bigint PRIMARY KEY, name text, at timestamptz);"
                            + " INSERT INTO idle_rows SELECT g, 'row ' || g, now() FROM"
                            + " generate_series(1, 1000) g");
            PipelineSpec spec =
                    PipelineSpecParser.withInstalledConnectors()
                            .parse(
                                    """
                                    name: bench-idle-pg
                                    source:
                                      type: postgres
                                      url: %s
                                      user: %s
                                      tables: [%s]
                                    sink:
                                      type: postgres
                                      url: %s
                                      user: %s
                                    mode: snapshot+cdc
                                    %s"""
                                            .formatted(
                                                    server.jdbcUrl(SOURCE_DB),
                                                    PostgresServer.USER,
                                                    TABLE,
                                                    server.jdbcUrl(TARGET_DB),
                                                    PostgresServer.USER,
                                                    settings.checkpointInterval() == null
                                                            ? ""
                                                            : "checkpoint-interval: "
                                                                    + settings.checkpointInterval()
                                                                            .toMillis()
                                                                    + "ms\n"),
                                    "bench-idle-pg");
            Path stateDir = TempDirectories.create("siphon-bench-state-");
            try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
                PipelineRun run = engine.start(spec);
                try {
                    awaitStreaming(run);
                    out.printf(
                            Locale.ROOT,
                            "idle-pg: streaming one table of 1,000 rows; idling %ds, then"
                                    + " measuring %ds (%d cores)%n",
                            settings.warmup().toSeconds(),
                            settings.measure().toSeconds(),
                            Runtime.getRuntime().availableProcessors());
                    out.flush();
                    sleep(settings.warmup());
                    Map<String, Double> perThread = new TreeMap<>();
                    double process = measure(threads, settings.measure(), perThread);
                    report(process, perThread, out);
                    List<Long> latencies = firstChanges(server, run, settings, out);
                    verify(server, run, out);
                    out.println(json(settings, process, perThread, latencies));
                    out.flush();
                    return process;
                } finally {
                    run.stop();
                    RunResult ended = run.await();
                    engine.drop(spec, false);
                    if (ended.error() != null) {
                        out.println("the Siphon run ended with " + ended.error());
                    }
                }
            } finally {
                TempDirectories.deleteRecursively(stateDir);
            }
        }
    }

    /**
     * Measures this process's CPU time and each live Java thread's over {@code window}; fills
     * {@code perThread} with percent of one core per thread group and returns the process's.
     */
    private static double measure(
            ThreadMXBean threads, Duration window, Map<String, Double> perThread) {
        Map<Long, Long> before = threadTimes(threads);
        Map<String, Long> vmBefore = VmThreads.cpuNanos();
        long processBefore = processCpuNanos();
        long t0 = System.nanoTime();
        sleep(window);
        long processAfter = processCpuNanos();
        long elapsed = System.nanoTime() - t0;
        Map<Long, Long> after = threadTimes(threads);
        long threadSum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            ThreadInfo info = threads.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            threadSum += used;
            perThread.merge(group(info.getThreadName()), percent(used, elapsed), Double::sum);
        }
        long process = processAfter - processBefore;
        long outside = Math.max(0, process - threadSum);
        Map<String, Long> vm = VmThreads.difference(vmBefore, VmThreads.cpuNanos());
        long named = 0;
        for (Map.Entry<String, Long> e : vm.entrySet()) {
            long used = Math.min(e.getValue(), outside - named);
            named += used;
            perThread.put("JVM " + e.getKey(), percent(used, elapsed));
        }
        perThread.put(
                vm.isEmpty() ? OUTSIDE_THREADS : "JVM other", percent(outside - named, elapsed));
        return percent(process, elapsed);
    }

    private static Map<Long, Long> threadTimes(ThreadMXBean threads) {
        Map<Long, Long> times = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                times.put(id, cpu);
            }
        }
        return times;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new SiphonException(
                ErrorCode.INTERNAL_ERROR, "this JVM cannot measure the CPU time of its process");
    }

    /** A thread's name without the Hazelcast instance name, which is random. */
    static String group(String threadName) {
        return threadName.replaceFirst("^hz\\.[^.]+\\.", "hz.");
    }

    private static double percent(long cpuNanos, long elapsedNanos) {
        return 100.0 * cpuNanos / elapsedNanos;
    }

    private static void report(double process, Map<String, Double> perThread, PrintWriter out) {
        out.printf(Locale.ROOT, "idle-pg: process %.2f%% of a core; by thread:%n", process);
        perThread.entrySet().stream()
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.printf(Locale.ROOT, "  %6.2f%%  %s%n", e.getValue(), e.getKey()));
        out.flush();
    }

    private static String json(
            Settings settings,
            double process,
            Map<String, Double> perThread,
            List<Long> firstChanges) {
        Map<String, Double> shown = new LinkedHashMap<>();
        perThread.entrySet().stream()
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> shown.put(e.getKey(), e.getValue()));
        return String.format(
                Locale.ROOT,
                "{\"bench\":\"idle-pg\",\"warmup_s\":%d,\"measure_s\":%d,\"process_cpu_pct\":%.2f,"
                        + "\"first_change_ms\":[%s],\"threads\":{%s}}",
                settings.warmup().toSeconds(),
                settings.measure().toSeconds(),
                process,
                firstChanges.stream().map(String::valueOf).collect(Collectors.joining(",")),
                shown.entrySet().stream()
                        .map(
                                e ->
                                        String.format(
                                                Locale.ROOT,
                                                "\"%s\":%.2f",
                                                e.getKey().replace("\"", "'"),
                                                e.getValue()))
                        .collect(Collectors.joining(",")));
    }

    private static void awaitStreaming(PipelineRun run) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (run.progress().phase() != RunPhase.STREAMING
                || run.progress().stream() == null
                || run.progress().stream().sourcePosition() == null) {
            failIfEnded(run);
            if (System.nanoTime() > deadline) {
                throw new SiphonException(
                        ErrorCode.INTERNAL_ERROR,
                        "the pipeline did not stream within " + TIMEOUT.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /**
     * After each of {@link Settings#probes} idle spells of {@link Settings#probeIdle}, inserts one
     * row at the source and measures, in milliseconds, until the target has it: how late the first
     * change after an idle spell arrives.
     */
    private static List<Long> firstChanges(
            PostgresServer server, PipelineRun run, Settings settings, PrintWriter out) {
        List<Long> latencies = new ArrayList<>();
        try (Connection from = server.connect(SOURCE_DB);
                Connection to = server.connect(TARGET_DB);
                PreparedStatement insert =
                        from.prepareStatement(
                                "INSERT INTO idle_rows VALUES (?, 'after an idle spell', now())");
                PreparedStatement find =
                        to.prepareStatement("SELECT 1 FROM idle_rows WHERE id = ?")) {
            for (int i = 1; i <= settings.probes(); i++) {
                sleep(settings.probeIdle());
                long id = 1000 + i;
                insert.setLong(1, id);
                find.setLong(1, id);
                insert.executeUpdate();
                long committed = System.nanoTime();
                long deadline = committed + TIMEOUT.toNanos();
                while (true) {
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            break;
                        }
                    }
                    failIfEnded(run);
                    if (System.nanoTime() > deadline) {
                        throw new SiphonException(
                                ErrorCode.DATA_INVALID,
                                "row " + id + " did not reach the target within " + TIMEOUT);
                    }
                    sleep(Duration.ofMillis(2));
                }
                latencies.add((System.nanoTime() - committed) / 1_000_000);
            }
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, "first changes: " + e.getMessage(), e);
        }
        out.printf(
                Locale.ROOT,
                "idle-pg: first change after %ds idle reached the target in %s ms%n",
                settings.probeIdle().toSeconds(),
                latencies.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        out.flush();
        return latencies;
    }

    /** Waits until the target equals the source, failing after the timeout. */
    private static void verify(PostgresServer server, PipelineRun run, PrintWriter out) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Connection from = server.connect(SOURCE_DB);
                Connection to = server.connect(TARGET_DB)) {
            while (true) {
                failIfEnded(run);
                Comparison c = TableComparator.compare(from, TABLE, to, TABLE);
                if (c.equal()) {
                    out.printf(
                            Locale.ROOT,
                            "verified: the target has the %,d rows of the source (sha256),"
                                    + " including those inserted after the measurement%n",
                            c.rightRows());
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new SiphonException(
                            ErrorCode.DATA_INVALID, "the target differs from its source: " + c);
                }
                sleep(Duration.ofMillis(50));
            }
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "verify: " + e.getMessage(), e);
        }
    }

    private static void failIfEnded(PipelineRun run) {
        RunPhase phase = run.progress().phase();
        if (List.of(RunPhase.FAILED, RunPhase.STOPPED, RunPhase.COMPLETED).contains(phase)) {
            RunResult result = run.await();
            throw result.error() != null
                    ? result.error()
                    : new SiphonException(
                            ErrorCode.INTERNAL_ERROR, "the Siphon run ended " + result.status());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        }
    }
}
