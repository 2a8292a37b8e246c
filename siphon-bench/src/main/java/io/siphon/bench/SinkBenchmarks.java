package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.CopyCheck;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the benchmarks of a PostgreSQL table copied into a non-SQL sink (Redis, OpenSearch) share:
 * the timed Siphon run, rates, the machine's load and the JSON line.
 */
final class SinkBenchmarks {

    private SinkBenchmarks() {}

    /**
     * Runs a pipeline in a fresh engine and state folder; timed from the run's start to COMPLETED.
     *
     * @throws SiphonException when the run ends otherwise
     */
    static Duration siphonCopy(String yaml, String name) {
        return siphonCopy(PipelineSpecParser.withInstalledConnectors().parse(yaml, name));
    }

    /**
     * Runs a parsed pipeline in a fresh engine and state folder; timed from the run's start to
     * COMPLETED.
     *
     * @throws SiphonException when the run ends otherwise
     */
    static Duration siphonCopy(PipelineSpec spec) {
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

    /** A connector of an installed type, to read a copy back with. */
    static Connector connector(String type, Map<String, ?> raw) {
        ConnectorRegistry registry = ConnectorRegistry.installed();
        return registry.create(
                type, Config.of(raw, registry.factory(type).options(), "the benchmark's " + type));
    }

    /**
     * Compares the source table with its copy in a sink that reads rows back, and fails unless they
     * are equal.
     *
     * @param copy the rows the sink keeps for a target table's schema
     * @return the SHA-256 of the rows
     */
    static String requireEqualToSource(
            PostgresServer source,
            String database,
            String sink,
            Function<TableSchema, List<Row>> copy) {
        try (Connector from =
                connector(
                        "postgres",
                        Map.of("url", source.jdbcUrl(database), "user", PostgresServer.USER))) {
            Comparison comparison =
                    CopyCheck.compare(from, BenchTable.ID, sink, BenchTable.ID, copy);
            if (!comparison.equal()) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "The Siphon copy differs from the source, so the time means nothing: "
                                + comparison);
            }
            return comparison.leftHash();
        }
    }

    /** The machine's load average over the last minute; -1 where the system does not say. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static long perSecond(long rows, Duration d) {
        return Math.round(rows * 1e9 / Math.max(1, d.toNanos()));
    }

    static void printRate(PrintWriter out, String what, long rows, Duration time) {
        out.printf(
                Locale.ROOT,
                "%s: %,d rows in %.2fs = %,d rows/s%n",
                what,
                rows,
                time.toNanos() / 1e9,
                perSecond(rows, time));
        out.flush();
    }

    /**
     * Prints the ratio and, last, the JSON line: both rates, their ratio, and the machine's load
     * average when the benchmark started and ended.
     *
     * @return the JSON line
     */
    static String finish(
            PrintWriter out,
            String bench,
            long rows,
            Duration nativeTime,
            Duration siphonTime,
            double loadBefore) {
        double ratio = (double) nativeTime.toNanos() / siphonTime.toNanos();
        double loadAfter = loadAverage();
        out.printf(Locale.ROOT, "ratio siphon/native: %.2f%n", ratio);
        out.printf(
                Locale.ROOT,
                "load average (1 min): %.2f at the start, %.2f at the end%n",
                loadBefore,
                loadAfter);
        String json =
                String.format(
                        Locale.ROOT,
                        "{\"bench\":\"%s\",\"rows\":%d,\"native_rows_per_s\":%d,"
                                + "\"siphon_rows_per_s\":%d,\"ratio\":%.3f,"
                                + "\"load_avg\":[%.2f,%.2f]}",
                        bench,
                        rows,
                        perSecond(rows, nativeTime),
                        perSecond(rows, siphonTime),
                        ratio,
                        loadBefore,
                        loadAfter);
        out.println(json);
        out.flush();
        return json;
    }
}
