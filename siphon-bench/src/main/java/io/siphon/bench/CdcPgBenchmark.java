package io.siphon.bench;

import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunResult;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.testkit.TempDirectories;
import io.siphon.testkit.compare.Comparison;
import io.siphon.testkit.compare.TableComparator;
import io.siphon.testkit.pg.PostgresServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Change data capture from one PostgreSQL into another, Siphon against native logical replication,
 * on the same workload in one run:
 *
 * <ol>
 *   <li>a source database gets {@code accounts} with N rows, and the target database the same rows
 *       (generated the same way), so no copy is needed;
 *   <li>native: {@code CREATE PUBLICATION} on the source, {@code CREATE SUBSCRIPTION ... WITH
 *       (connect = true, copy_data = false)} on the target; the {@link AccountsWorkload} runs flat
 *       out for S seconds, then changes a marker row last; the apply rate is the rows changed
 *       divided by the time from the workload's start until the target has the marker (the
 *       subscriber applies in commit order, so then it has everything) and equals the source;
 *   <li>Siphon: the same on fresh databases, with a {@code mode: cdc} pipeline;
 *   <li>Siphon's commit-to-visible latency: the workload again on the same pipeline, held by a
 *       scheduler at half of Siphon's measured rate for S/2 seconds; p50 and p99 as the run's
 *       {@link StreamProgress} reports them once the target has caught up;
 *   <li>Siphon's drain rate: the pipeline is stopped, the workload runs flat out for S seconds into
 *       the slot's backlog, the pipeline starts again; the rate is the backlog's rows changed
 *       divided by the time from the run streaming again until the target has the marker, so it
 *       measures how fast Siphon applies, without a workload competing for the cores;
 *   <li>both targets are compared with their sources by hash; a target that differs fails the run.
 * </ol>
 *
 * <p>The last line printed is one JSON object with both rates, their ratio and the latencies.
 */
public final class CdcPgBenchmark {

    private static final String NATIVE_SOURCE = "cdc_native_src";
    private static final String SIPHON_SOURCE = "cdc_siphon_src";
    private static final String NATIVE_TARGET = "cdc_native_dst";
    private static final String SIPHON_TARGET = "cdc_siphon_dst";
    private static final TableId ACCOUNTS = TableId.of("public", "accounts");
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 50;

    /**
     * What to run.
     *
     * @param duration how long the workload runs flat out
     * @param rows rows in the table before the workload
     * @param clients workload clients
     */
    public record Settings(Duration duration, long rows, int clients) {}

    /**
     * The outcome.
     *
     * @param nativeEventsPerSecond rows changed per second, applied by native logical replication
     * @param siphonEventsPerSecond the same through Siphon
     * @param p50Millis Siphon's median commit-to-visible latency at half its rate
     * @param p99Millis the 99th percentile of the same
     * @param drainEventsPerSecond rows changed per second that Siphon applies from a backlog
     */
    public record Result(
            long nativeEventsPerSecond,
            long siphonEventsPerSecond,
            long p50Millis,
            long p99Millis,
            long drainEventsPerSecond) {

        /** Siphon's rate over the native rate: 1.0 is as fast as the baseline. */
        public double ratio() {
            return (double) siphonEventsPerSecond / Math.max(1, nativeEventsPerSecond);
        }

        /** The one-line JSON record that scripts read from the last line of the output. */
        public String json() {
            return String.format(
                    Locale.ROOT,
                    "{\"bench\":\"cdc-pg\",\"native_events_per_s\":%d,\"siphon_events_per_s\":%d,"
                            + "\"ratio\":%.3f,\"p50_ms\":%d,\"p99_ms\":%d,"
                            + "\"drain_events_per_s\":%d}",
                    nativeEventsPerSecond,
                    siphonEventsPerSecond,
                    ratio(),
                    p50Millis,
                    p99Millis,
                    drainEventsPerSecond);
        }
    }

    private CdcPgBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @throws SiphonException when a target differs from its source or does not catch up
     */
    public static Result run(Settings settings, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "cdc-pg: %,d rows, %d clients, %ds flat out, PostgreSQL 17 -> PostgreSQL 17, both"
                        + " servers embedded on this machine (%d cores)%n",
                settings.rows(),
                settings.clients(),
                settings.duration().toSeconds(),
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (PostgresServer source = PostgresServer.start();
                PostgresServer target = PostgresServer.start()) {
            for (String db : new String[] {NATIVE_SOURCE, SIPHON_SOURCE}) {
                source.execute("postgres", "CREATE DATABASE " + db);
                AccountsWorkload.create(source, db, settings.rows());
            }
            for (String db : new String[] {NATIVE_TARGET, SIPHON_TARGET}) {
                target.execute("postgres", "CREATE DATABASE " + db);
                AccountsWorkload.create(target, db, settings.rows());
            }
            source.execute("postgres", "CHECKPOINT");
            target.execute("postgres", "CHECKPOINT");

            long nativeRate = nativeReplication(source, target, settings, out);
            verify(source, NATIVE_SOURCE, target, NATIVE_TARGET, "native", out);
            source.execute("postgres", "CHECKPOINT");
            target.execute("postgres", "CHECKPOINT");
            Result result = siphon(source, target, settings, nativeRate, out);
            out.printf(Locale.ROOT, "ratio siphon/native: %.2f%n", result.ratio());
            out.println(result.json());
            out.flush();
            return result;
        }
    }

    private static long nativeReplication(
            PostgresServer source, PostgresServer target, Settings settings, PrintWriter out) {
        source.execute(NATIVE_SOURCE, "CREATE PUBLICATION bench_pub FOR TABLE public.accounts");
        target.execute(
                NATIVE_TARGET,
                "CREATE SUBSCRIPTION bench_sub CONNECTION 'host=127.0.0.1 port="
                        + source.port()
                        + " dbname="
                        + NATIVE_SOURCE
                        + " user="
                        + PostgresServer.USER
                        + "' PUBLICATION bench_pub WITH (connect = true, copy_data = false)");
        try {
            await(
                    "the subscription to start streaming",
                    () ->
                            count(
                                            target,
                                            NATIVE_TARGET,
                                            "SELECT count(*) FROM pg_stat_subscription WHERE"
                                                    + " subname = 'bench_sub' AND pid IS NOT NULL"
                                                    + " AND received_lsn IS NOT NULL")
                                    > 0);
            return measure(
                    "native logical replication (publication -> subscription)",
                    new AccountsWorkload(
                            source, NATIVE_SOURCE, settings.rows(), settings.clients()),
                    target,
                    NATIVE_TARGET,
                    settings,
                    out);
        } finally {
            target.execute(NATIVE_TARGET, "DROP SUBSCRIPTION bench_sub");
        }
    }

    private static Result siphon(
            PostgresServer source,
            PostgresServer target,
            Settings settings,
            long nativeRate,
            PrintWriter out) {
        String yaml =
                """
                name: bench-cdc-pg
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: [public.accounts]
                sink:
                  type: postgres
                  url: %s
                  user: %s
                mode: cdc
                """
                        .formatted(
                                source.jdbcUrl(SIPHON_SOURCE),
                                PostgresServer.USER,
                                target.jdbcUrl(SIPHON_TARGET),
                                PostgresServer.USER);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors().parse(yaml, "bench-cdc-pg");
        Path stateDir = TempDirectories.create("siphon-bench-state-");
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            PipelineRun run = engine.start(spec);
            PipelineRun drain = null;
            try {
                awaitStreaming(run);
                AccountsWorkload workload =
                        new AccountsWorkload(
                                source, SIPHON_SOURCE, settings.rows(), settings.clients());
                long rate =
                        measure(
                                "siphon cdc (parallelism " + spec.parallelism() + ")",
                                workload,
                                target,
                                SIPHON_TARGET,
                                settings,
                                out);
                verify(source, SIPHON_SOURCE, target, SIPHON_TARGET, "siphon", out);

                Duration latencyRun = settings.duration().dividedBy(2);
                // Five statements a transaction; a few change no row (an account already deleted).
                double eventsPerTransaction = 5 * 0.98;
                double transactionsPerSecond = rate / 2.0 / eventsPerTransaction;
                out.printf(
                        Locale.ROOT,
                        "siphon latency: the workload at half of siphon's rate (~%,d events/s) for"
                                + " %ds...%n",
                        rate / 2,
                        latencyRun.toSeconds());
                out.flush();
                long t0 = System.nanoTime();
                long changed = workload.runAtRate(latencyRun, transactionsPerSecond);
                double seconds = (System.nanoTime() - t0) / 1e9;
                workload.touchMarker(2);
                awaitMarker(target, SIPHON_TARGET, 2);
                failIfEnded(run);
                StreamProgress stream = run.progress().stream();
                out.printf(
                        Locale.ROOT,
                        "siphon latency at %,d events/s (achieved): commit -> visible p50 %d ms, p99"
                                + " %d ms%n",
                        Math.round(changed / seconds),
                        stream.latencyP50Millis(),
                        stream.latencyP99Millis());
                verify(source, SIPHON_SOURCE, target, SIPHON_TARGET, "siphon", out);

                stop(run, out);
                out.printf(
                        Locale.ROOT,
                        "siphon drain: pipeline stopped, the workload flat out for %ds into the"
                                + " backlog...%n",
                        settings.duration().toSeconds());
                out.flush();
                long backlog = workload.runFlatOut(settings.duration()) + 1;
                workload.touchMarker(3);
                drain = engine.start(spec);
                awaitStreaming(drain);
                long d0 = System.nanoTime();
                awaitMarker(target, SIPHON_TARGET, 3);
                double drainSeconds = (System.nanoTime() - d0) / 1e9;
                long drainRate = Math.round(backlog / drainSeconds);
                out.printf(
                        Locale.ROOT,
                        "siphon drain: %,d events applied from the backlog in %.2fs = %,d"
                                + " events/s%n",
                        backlog,
                        drainSeconds,
                        drainRate);
                verify(source, SIPHON_SOURCE, target, SIPHON_TARGET, "siphon", out);
                return new Result(
                        nativeRate,
                        rate,
                        stream.latencyP50Millis(),
                        stream.latencyP99Millis(),
                        drainRate);
            } finally {
                stop(drain == null ? run : drain, out);
                engine.drop(spec);
            }
        } finally {
            TempDirectories.deleteRecursively(stateDir);
        }
    }

    private static void awaitStreaming(PipelineRun run) {
        await(
                "the Siphon pipeline to stream",
                () -> {
                    failIfEnded(run);
                    return run.progress().phase() == RunPhase.STREAMING
                            && run.progress().stream() != null
                            && run.progress().stream().sourcePosition() != null;
                });
    }

    private static void stop(PipelineRun run, PrintWriter out) {
        run.stop();
        RunResult ended = run.await();
        if (ended.error() != null) {
            out.println("the Siphon run ended with " + ended.error());
        }
    }

    /**
     * Runs the workload flat out, changes the marker last, and waits until the target has it and
     * equals the source.
     *
     * @return rows changed per second, from the workload's start to the target caught up
     */
    private static long measure(
            String label,
            AccountsWorkload workload,
            PostgresServer target,
            String targetDb,
            Settings settings,
            PrintWriter out) {
        out.println(label + ": workload running...");
        out.flush();
        long t0 = System.nanoTime();
        long changed = workload.runFlatOut(settings.duration());
        workload.touchMarker(1);
        long workloadNanos = System.nanoTime() - t0;
        awaitMarker(target, targetDb, 1);
        long total = System.nanoTime() - t0;
        long events = changed + 1;
        long rate = Math.round(events * 1e9 / total);
        out.printf(
                Locale.ROOT,
                "%s: %,d events (rows changed) in %.2fs (workload %.2fs, then catching up %.2fs)"
                        + " = %,d events/s; the workload alone ran at %,d events/s%n",
                label,
                events,
                total / 1e9,
                workloadNanos / 1e9,
                (total - workloadNanos) / 1e9,
                rate,
                Math.round(events * 1e9 / workloadNanos));
        out.flush();
        return rate;
    }

    private static void awaitMarker(PostgresServer target, String targetDb, int value) {
        await(
                "the target to catch up",
                () ->
                        count(
                                        target,
                                        targetDb,
                                        "SELECT count(*) FROM public.accounts WHERE aid = "
                                                + AccountsWorkload.MARKER
                                                + " AND abalance = "
                                                + value)
                                > 0);
    }

    private static void failIfEnded(PipelineRun run) {
        RunPhase phase = run.progress().phase();
        if (phase == RunPhase.FAILED || phase == RunPhase.STOPPED || phase == RunPhase.COMPLETED) {
            RunResult result = run.await();
            throw result.error() != null
                    ? result.error()
                    : new SiphonException(
                            ErrorCode.INTERNAL_ERROR, "the Siphon run ended " + result.status());
        }
    }

    /** Polls a condition every 50 ms on a scheduler until it holds, or fails after a timeout. */
    private static void await(String what, BooleanSupplier condition) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().daemon().name("bench-await").unstarted(r));
        try {
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        try {
                            if (condition.getAsBoolean()) {
                                done.complete(null);
                            }
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    },
                    0,
                    POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
            done.get(CATCH_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "timed out after " + CATCH_UP_TIMEOUT.toMinutes() + " min waiting for " + what,
                    e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SiphonException s
                    ? s
                    : new SiphonException(
                            ErrorCode.INTERNAL_ERROR,
                            "waiting for " + what + " failed: " + e.getCause(),
                            e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static long count(PostgresServer server, String database, String sql) {
        try (Connection c = server.connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, e.getMessage(), e);
        }
    }

    private static void verify(
            PostgresServer source,
            String sourceDb,
            PostgresServer target,
            String targetDb,
            String label,
            PrintWriter out) {
        try (Connection from = source.connect(sourceDb);
                Connection to = target.connect(targetDb)) {
            Comparison c = TableComparator.compare(from, ACCOUNTS, to, ACCOUNTS);
            if (!c.equal()) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "the "
                                + label
                                + " target differs from its source, so its rate means nothing: "
                                + c);
            }
            out.printf(
                    Locale.ROOT,
                    "verified %s target: %,d rows equal to the source (sha256 %s...)%n",
                    label,
                    c.rightRows(),
                    c.rightHash().substring(0, 12));
            out.flush();
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "verify: " + e.getMessage(), e);
        }
    }
}
