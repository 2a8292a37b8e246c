package io.siphon.bench;

import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Change data capture from one MariaDB into another at saturation, the MySQL twin of {@link
 * CdcPgBenchmark}'s Siphon half: how fast Siphon drains a backlog of binary log changes, and its
 * commit-to-visible latency under a steady load.
 *
 * <ol>
 *   <li>the source database gets the {@code accounts} workload's table, and a database of the same
 *       name on the target server the same rows, so no copy is needed;
 *   <li>a {@code mode: cdc} pipeline streams, then is stopped; the workload runs flat out for S
 *       seconds and sets its marker last: that is the backlog, in the binary log;
 *   <li>the pipeline is started again and timed until the target has the marker (the stream applies
 *       in commit order per key, and the marker is the last transaction);
 *   <li>once the run has stored the position it read up to, it is stopped, and the target must
 *       equal the source by hash; a difference fails the run;
 *   <li>latency: a fresh run (fresh counters), the workload held by a scheduler at half the drain
 *       rate for S/2 seconds; p50 and p99 as the run's {@link StreamProgress} reports them once the
 *       target has caught up.
 * </ol>
 *
 * There is no native baseline in this run: MariaDB's own replication applies a whole server's log
 * into a replica, not one database into another server's database.
 *
 * <p>The last line printed is one JSON object: bench, workload, events, siphon_events_per_s,
 * drain_s, latency_events_per_s, p50_ms, p99_ms.
 */
public final class CdcMySqlBenchmark {

    private static final String DATABASE = "cdc_bench";

    /**
     * What to run.
     *
     * @param duration how long the workload runs flat out to build the backlog
     * @param rows rows in the table before the workload
     * @param clients workload clients
     */
    public record Settings(Duration duration, long rows, int clients) {}

    private CdcMySqlBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @throws SiphonException when the target differs from its source or does not catch up
     */
    public static String run(Settings settings, PrintWriter out) {
        try (MariaDbServer source = MariaDbServer.start();
                MariaDbServer target = MariaDbServer.start()) {
            AccountsWorkload workload =
                    new AccountsWorkload(source, DATABASE, settings.rows(), settings.clients());
            out.printf(
                    Locale.ROOT,
                    "cdc-mysql: workload %s (%s), %,d rows, %d clients, a backlog built in %ds,"
                            + " MariaDB 11.4 -> MariaDB 11.4, both servers embedded on this"
                            + " machine (%d cores)%n",
                    workload.name(),
                    workload.describe(),
                    settings.rows(),
                    settings.clients(),
                    settings.duration().toSeconds(),
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            source.execute("mysql", "CREATE DATABASE " + DATABASE);
            target.execute("mysql", "CREATE DATABASE " + DATABASE);
            workload.create();
            new AccountsWorkload(target, DATABASE, settings.rows(), settings.clients()).create();
            return siphon(source, target, workload, settings, out);
        }
    }

    private static String siphon(
            MariaDbServer source,
            MariaDbServer target,
            AccountsWorkload workload,
            Settings settings,
            PrintWriter out) {
        String yaml =
                """
                name: bench-cdc-mysql
                source:
                  type: mysql
                  url: %s
                  user: %s
                  tables: [%s.accounts]
                  heartbeat-interval: 1s
                sink:
                  type: mysql
                  url: %s
                  user: %s
                  table: "%s.{table}"
                mode: cdc
                """
                        .formatted(
                                source.jdbcUrl(DATABASE),
                                MariaDbServer.USER,
                                DATABASE,
                                target.jdbcUrl(DATABASE),
                                MariaDbServer.USER,
                                DATABASE);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors().parse(yaml, "bench-cdc-mysql");
        Path stateDir = TempDirectories.create("siphon-bench-state-");
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            CdcPgBenchmark.stopped(CdcPgBenchmark.streaming(engine.start(spec)), out);
            out.printf(
                    Locale.ROOT,
                    "siphon: pipeline stopped, building a backlog for %ds...%n",
                    settings.duration().toSeconds());
            out.flush();
            long t0 = System.nanoTime();
            ChangeWorkload.Backlog backlog = workload.runFlatOut(settings.duration());
            workload.touchMarkers(1);
            out.printf(
                    Locale.ROOT,
                    "siphon: backlog of %,d events (rows changed) in %,d transactions, written at"
                            + " %,d events/s%n",
                    backlog.events(),
                    backlog.transactionCount(),
                    Math.round(backlog.events() * 1e9 / (System.nanoTime() - t0)));
            out.flush();

            long t1 = System.nanoTime();
            PipelineRun drainRun = engine.start(spec);
            CdcPgBenchmark.awaitMarkers(target, DATABASE, workload, 1, drainRun);
            Duration drain = Duration.ofNanos(System.nanoTime() - t1);
            long drainRate = SinkBenchmarks.perSecond(backlog.events(), drain);
            out.printf(
                    Locale.ROOT,
                    "siphon: drained %,d events in %.2fs = %,d events/s%n",
                    backlog.events(),
                    drain.toNanos() / 1e9,
                    drainRate);
            out.flush();
            awaitAcknowledged(drainRun);
            CdcPgBenchmark.stopped(drainRun, out);
            CdcPgBenchmark.verify(source, DATABASE, target, DATABASE, workload, "siphon", out);

            // A fresh run, so that its latency counters hold only the latency phase.
            PipelineRun latencyRun = CdcPgBenchmark.streaming(engine.start(spec));
            Duration latencyTime = settings.duration().dividedBy(2);
            out.printf(
                    Locale.ROOT,
                    "siphon latency: the workload at half the drain rate (~%,d events/s) for"
                            + " %ds...%n",
                    drainRate / 2,
                    latencyTime.toSeconds());
            out.flush();
            long t2 = System.nanoTime();
            long changed = workload.runAtRate(latencyTime, drainRate / 2.0);
            long achieved = Math.round(changed * 1e9 / (System.nanoTime() - t2));
            workload.touchMarkers(2);
            CdcPgBenchmark.awaitMarkers(target, DATABASE, workload, 2, latencyRun);
            StreamProgress stream = latencyRun.progress().stream();
            out.printf(
                    Locale.ROOT,
                    "siphon latency at %,d events/s (achieved): commit -> visible p50 %d ms,"
                            + " p99 %d ms%n",
                    achieved,
                    stream.latencyP50Millis(),
                    stream.latencyP99Millis());
            CdcPgBenchmark.stopped(latencyRun, out);
            CdcPgBenchmark.verify(source, DATABASE, target, DATABASE, workload, "siphon", out);
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"bench\":\"cdc-mysql\",\"workload\":\"%s\",\"events\":%d,"
                                    + "\"siphon_events_per_s\":%d,\"drain_s\":%.3f,"
                                    + "\"latency_events_per_s\":%d,\"p50_ms\":%d,\"p99_ms\":%d}",
                            workload.name(),
                            backlog.events(),
                            drainRate,
                            drain.toNanos() / 1e9,
                            achieved,
                            stream.latencyP50Millis(),
                            stream.latencyP99Millis());
            out.println(json);
            out.flush();
            return json;
        } finally {
            TempDirectories.deleteRecursively(stateDir);
        }
    }

    /**
     * Waits until the run has stored the position it has read up to, so that the next run starts
     * there: a run that replayed the backlog would count its old commits in the latency.
     */
    private static void awaitAcknowledged(PipelineRun run) {
        CdcPgBenchmark.await(
                "the Siphon pipeline to store its position",
                () -> {
                    CdcPgBenchmark.failIfEnded(run);
                    StreamProgress stream = run.progress().stream();
                    return stream != null
                            && stream.acknowledgedPosition() != null
                            && stream.acknowledgedPosition().equals(stream.sourcePosition());
                });
    }
}
