package io.siphon.bench;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.TempDirectories;
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
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Change data capture from one PostgreSQL into another at saturation: how fast Siphon drains a
 * backlog of changes, against native logical replication draining the same backlog, in one run:
 *
 * <ol>
 *   <li>a source database per replicator gets the workload's tables, and its target database the
 *       same rows (generated the same way), so no copy is needed;
 *   <li>native: {@code CREATE PUBLICATION} on the source, {@code CREATE SUBSCRIPTION ... WITH
 *       (copy_data = false)} on the target; once it streams, the subscription is disabled (its slot
 *       stays), the workload runs flat out for S seconds and sets its markers last: that is the
 *       backlog. Then the subscription is enabled, and timed until the target has every marker (it
 *       applies in commit order, so then it has everything);
 *   <li>Siphon: a {@code mode: cdc} pipeline streams, then is stopped (its slot stays); exactly the
 *       same transactions run on its source; the pipeline is started again and timed until the
 *       target has every marker (each table's own: Siphon applies tables independently);
 *   <li>each slot's {@code confirmed_flush_lsn} must then reach the source's position after the
 *       markers, and each target must equal its source by hash; a difference fails the run;
 *   <li>Siphon's commit-to-visible latency: a fresh run of the pipeline (fresh counters), the
 *       workload held by a scheduler at half the native drain rate for S/2 seconds; p50 and p99 as
 *       the run's {@link StreamProgress} reports them once the target has caught up.
 * </ol>
 *
 * <p>The last line printed is one JSON object ({@link CdcBenchResult#json()}).
 */
public final class CdcPgBenchmark {

    /** The workloads it runs, by the names {@link Settings#workload()} takes. */
    public static final List<String> WORKLOADS = List.of(AccountsWorkload.NAME, TpcbWorkload.NAME);

    private static final String NATIVE_SOURCE = "cdc_native_src";
    private static final String SIPHON_SOURCE = "cdc_siphon_src";
    private static final String NATIVE_TARGET = "cdc_native_dst";
    private static final String SIPHON_TARGET = "cdc_siphon_dst";
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 20;

    /**
     * What to run.
     *
     * @param duration how long the workload runs flat out to build the backlog
     * @param rows rows in the workload's main table before the workload
     * @param clients workload clients
     * @param workload the workload's name: {@code accounts} or {@code tpcb}
     */
    public record Settings(Duration duration, long rows, int clients, String workload) {}

    /** A backlog and how long one replicator took to apply all of it. */
    private record Drain(ChangeWorkload.Backlog backlog, Duration time) {}

    private CdcPgBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @throws SiphonException when a target differs from its source or does not catch up
     */
    public static CdcBenchResult run(Settings settings, PrintWriter out) {
        try (PostgresServer source = PostgresServer.start();
                PostgresServer target = PostgresServer.start()) {
            ChangeWorkload nativeWorkload = workload(settings, source, NATIVE_SOURCE);
            ChangeWorkload siphonWorkload = workload(settings, source, SIPHON_SOURCE);
            out.printf(
                    Locale.ROOT,
                    "cdc-pg: workload %s (%s), %,d rows, %d clients, a backlog built in %ds,"
                            + " PostgreSQL 17 -> PostgreSQL 17, both servers embedded on this"
                            + " machine (%d cores)%n",
                    nativeWorkload.name(),
                    nativeWorkload.describe(),
                    settings.rows(),
                    settings.clients(),
                    settings.duration().toSeconds(),
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            for (String db : List.of(NATIVE_SOURCE, SIPHON_SOURCE)) {
                source.execute("postgres", "CREATE DATABASE " + db);
            }
            nativeWorkload.create();
            siphonWorkload.create();
            for (String db : List.of(NATIVE_TARGET, SIPHON_TARGET)) {
                target.execute("postgres", "CREATE DATABASE " + db);
                workload(settings, target, db).create();
            }
            checkpoint(source, target);

            Drain nativeDrain = nativeReplication(source, target, nativeWorkload, settings, out);
            verify(source, NATIVE_SOURCE, target, NATIVE_TARGET, nativeWorkload, "native", out);
            checkpoint(source, target);
            CdcBenchResult result =
                    siphon(source, target, siphonWorkload, nativeDrain, settings, out);
            out.printf(Locale.ROOT, "ratio siphon/native (drain): %.2f%n", result.ratio());
            out.println(result.json());
            out.flush();
            return result;
        }
    }

    private static ChangeWorkload workload(
            Settings settings, PostgresServer server, String database) {
        return ChangeWorkload.of(
                settings.workload(), server, database, settings.rows(), settings.clients());
    }

    private static Drain nativeReplication(
            PostgresServer source,
            PostgresServer target,
            ChangeWorkload workload,
            Settings settings,
            PrintWriter out) {
        String tables =
                workload.tables().stream().map(TableId::toString).collect(Collectors.joining(", "));
        source.execute(NATIVE_SOURCE, "CREATE PUBLICATION bench_pub FOR TABLE " + tables);
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
                    "the subscription to stream",
                    () ->
                            count(
                                            target,
                                            NATIVE_TARGET,
                                            "SELECT count(*) FROM pg_stat_subscription WHERE"
                                                    + " subname = 'bench_sub' AND pid IS NOT NULL"
                                                    + " AND received_lsn IS NOT NULL")
                                    > 0);
            target.execute(NATIVE_TARGET, "ALTER SUBSCRIPTION bench_sub DISABLE");
            await(
                    "the subscription's slot to be released",
                    () -> count(source, NATIVE_SOURCE, activeSlots()) == 0);
            ChangeWorkload.Backlog backlog = buildBacklog("native", workload, settings, out);
            String end = currentLsn(source);
            long t0 = System.nanoTime();
            target.execute(NATIVE_TARGET, "ALTER SUBSCRIPTION bench_sub ENABLE");
            awaitMarkers(target, NATIVE_TARGET, workload, 1);
            Drain drain = new Drain(backlog, Duration.ofNanos(System.nanoTime() - t0));
            report("native logical replication (publication -> subscription)", drain, out);
            awaitConfirmedFlush(source, NATIVE_SOURCE, end);
            return drain;
        } finally {
            target.execute(NATIVE_TARGET, "DROP SUBSCRIPTION bench_sub");
        }
    }

    private static CdcBenchResult siphon(
            PostgresServer source,
            PostgresServer target,
            ChangeWorkload workload,
            Drain nativeDrain,
            Settings settings,
            PrintWriter out) {
        String yaml =
                """
                name: bench-cdc-pg
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: [%s]
                sink:
                  type: postgres
                  url: %s
                  user: %s
                mode: cdc
                """
                        .formatted(
                                source.jdbcUrl(SIPHON_SOURCE),
                                PostgresServer.USER,
                                workload.tables().stream()
                                        .map(TableId::toString)
                                        .collect(Collectors.joining(", ")),
                                target.jdbcUrl(SIPHON_TARGET),
                                PostgresServer.USER);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors().parse(yaml, "bench-cdc-pg");
        Path stateDir = TempDirectories.create("siphon-bench-state-");
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            try {
                // The first run creates the slot and stores its position; stopped, it keeps both.
                stopped(streaming(engine.start(spec)), out);
                out.println("siphon: replaying the native run's transactions on its source...");
                out.flush();
                ChangeWorkload.Backlog backlog = workload.runCounted(nativeDrain.backlog());
                workload.touchMarkers(1);
                String end = currentLsn(source);
                long t0 = System.nanoTime();
                PipelineRun drainRun = engine.start(spec);
                awaitMarkers(target, SIPHON_TARGET, workload, 1, drainRun);
                Drain drain = new Drain(backlog, Duration.ofNanos(System.nanoTime() - t0));
                report("siphon cdc (parallelism " + spec.parallelism() + ")", drain, out);
                awaitConfirmedFlush(source, SIPHON_SOURCE, end);
                stopped(drainRun, out);
                verify(source, SIPHON_SOURCE, target, SIPHON_TARGET, workload, "siphon", out);

                // A fresh run, so that its latency counters hold only the latency phase.
                PipelineRun latencyRun = streaming(engine.start(spec));
                Duration latencyTime = settings.duration().dividedBy(2);
                long nativeRate = perSecond(nativeDrain);
                out.printf(
                        Locale.ROOT,
                        "siphon latency: the workload at half the native drain rate (~%,d"
                                + " events/s) for %ds...%n",
                        nativeRate / 2,
                        latencyTime.toSeconds());
                out.flush();
                long t1 = System.nanoTime();
                long changed = workload.runAtRate(latencyTime, nativeRate / 2.0);
                long achieved = Math.round(changed * 1e9 / (System.nanoTime() - t1));
                workload.touchMarkers(2);
                awaitMarkers(target, SIPHON_TARGET, workload, 2, latencyRun);
                StreamProgress stream = latencyRun.progress().stream();
                out.printf(
                        Locale.ROOT,
                        "siphon latency at %,d events/s (achieved): commit -> visible p50 %d ms,"
                                + " p99 %d ms%n",
                        achieved,
                        stream.latencyP50Millis(),
                        stream.latencyP99Millis());
                stopped(latencyRun, out);
                verify(source, SIPHON_SOURCE, target, SIPHON_TARGET, workload, "siphon", out);
                return new CdcBenchResult(
                        workload.name(),
                        nativeDrain.backlog().events(),
                        nativeDrain.time(),
                        drain.backlog().events(),
                        drain.time(),
                        achieved,
                        stream.latencyP50Millis(),
                        stream.latencyP99Millis());
            } finally {
                engine.drop(spec, false);
            }
        } finally {
            TempDirectories.deleteRecursively(stateDir);
        }
    }

    /** Runs the workload flat out while the replicator is stopped, then sets the markers. */
    private static ChangeWorkload.Backlog buildBacklog(
            String label, ChangeWorkload workload, Settings settings, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%s: replicator stopped, building a backlog for %ds...%n",
                label,
                settings.duration().toSeconds());
        out.flush();
        long t0 = System.nanoTime();
        ChangeWorkload.Backlog backlog = workload.runFlatOut(settings.duration());
        workload.touchMarkers(1);
        out.printf(
                Locale.ROOT,
                "%s: backlog of %,d events (rows changed) in %,d transactions, written at %,d"
                        + " events/s%n",
                label,
                backlog.events(),
                backlog.transactionCount(),
                Math.round(backlog.events() * 1e9 / (System.nanoTime() - t0)));
        out.flush();
        return backlog;
    }

    private static void report(String label, Drain drain, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%s: drained %,d events in %.2fs = %,d events/s%n",
                label,
                drain.backlog().events(),
                drain.time().toNanos() / 1e9,
                perSecond(drain));
        out.flush();
    }

    private static long perSecond(Drain drain) {
        return Math.round(drain.backlog().events() * 1e9 / Math.max(1, drain.time().toNanos()));
    }

    static PipelineRun streaming(PipelineRun run) {
        await(
                "the Siphon pipeline to stream",
                () -> {
                    failIfEnded(run);
                    return run.progress().phase() == RunPhase.STREAMING
                            && run.progress().stream() != null
                            && run.progress().stream().sourcePosition() != null;
                });
        return run;
    }

    static void stopped(PipelineRun run, PrintWriter out) {
        run.stop();
        RunResult ended = run.await();
        if (ended.error() != null) {
            out.println("the Siphon run ended with " + ended.error());
            throw ended.error();
        }
    }

    private static void awaitMarkers(
            PostgresServer target, String targetDb, ChangeWorkload workload, int value) {
        awaitMarkers(target, targetDb, workload, value, null);
    }

    /** Waits until the target has every marker at {@code value}, failing if the run ends. */
    static void awaitMarkers(
            EmbeddedServer target,
            String targetDb,
            ChangeWorkload workload,
            int value,
            PipelineRun run) {
        try (Connection c = target.connect(targetDb)) {
            await(
                    "the target to catch up",
                    () -> {
                        if (run != null) {
                            failIfEnded(run);
                        }
                        try {
                            return workload.markersApplied(c, value);
                        } catch (SQLException e) {
                            throw new SiphonException(
                                    ErrorCode.CONNECTION_FAILED, e.getMessage(), e);
                        }
                    });
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, e.getMessage(), e);
        }
    }

    private static String currentLsn(PostgresServer source) {
        try (Connection c = source.connect("postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, e.getMessage(), e);
        }
    }

    /**
     * Waits until the database's slot has acknowledged everything up to {@code lsn}: the drain is
     * over only when the replicator has told the source so (native: the subscriber's feedback,
     * every few seconds; Siphon: after the target commit and the stored position).
     */
    private static void awaitConfirmedFlush(PostgresServer source, String database, String lsn) {
        await(
                "the slot of " + database + " to confirm " + lsn,
                () ->
                        count(
                                        source,
                                        database,
                                        "SELECT count(*) FROM pg_replication_slots WHERE"
                                                + " database = current_database() AND"
                                                + " confirmed_flush_lsn >= '"
                                                + lsn
                                                + "'::pg_lsn")
                                > 0);
    }

    private static String activeSlots() {
        return "SELECT count(*) FROM pg_replication_slots WHERE database = current_database() AND"
                + " active";
    }

    private static void checkpoint(PostgresServer source, PostgresServer target) {
        source.execute("postgres", "CHECKPOINT");
        target.execute("postgres", "CHECKPOINT");
    }

    static void failIfEnded(PipelineRun run) {
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
    static void await(String what, BooleanSupplier condition) {
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

    static void verify(
            EmbeddedServer source,
            String sourceDb,
            EmbeddedServer target,
            String targetDb,
            ChangeWorkload workload,
            String label,
            PrintWriter out) {
        try (Connection from = source.connect(sourceDb);
                Connection to = target.connect(targetDb)) {
            long rows = 0;
            for (TableId table : workload.tables()) {
                Comparison c = TableComparator.compare(from, table, to, table);
                if (!c.equal()) {
                    throw new SiphonException(
                            ErrorCode.DATA_INVALID,
                            "the "
                                    + label
                                    + " target differs from its source, so its rate means"
                                    + " nothing: "
                                    + c);
                }
                rows += c.rightRows();
            }
            out.printf(
                    Locale.ROOT,
                    "verified %s target: %d tables, %,d rows equal to the source (sha256)%n",
                    label,
                    workload.tables().size(),
                    rows);
            out.flush();
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "verify: " + e.getMessage(), e);
        }
    }
}
