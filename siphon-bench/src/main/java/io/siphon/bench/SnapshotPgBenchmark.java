package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Snapshot of one PostgreSQL table into another PostgreSQL, Siphon against the native baseline, on
 * the same data in one run:
 *
 * <ol>
 *   <li>a source server gets one table of mixed types with N rows ({@link BenchTable});
 *   <li>native: {@code COPY ... TO STDOUT (FORMAT binary)} piped into {@code COPY ... FROM STDIN
 *       (FORMAT binary)} on a second server, into a pre-created identical empty table ({@link
 *       NativeCopy}); timed from the first byte requested to the commit;
 *   <li>Siphon: a snapshot pipeline into an empty database of the second server, timed from {@link
 *       SiphonEngine#start(PipelineSpec)} to COMPLETED (the engine is started before);
 *   <li>both targets are compared with the source by hash; a copy that differs fails the run.
 * </ol>
 *
 * Both servers are checkpointed before each timed copy, so neither copy pays for flushing what was
 * written before it.
 *
 * <p>The last line printed is one JSON object with both rates and their ratio.
 */
public final class SnapshotPgBenchmark {

    private static final String SOURCE_DB = "bench_source";
    private static final String NATIVE_DB = "bench_native";
    private static final String SIPHON_DB = "bench_siphon";
    private static final String TRANSFORMED_DB = "bench_transformed_1";
    private static final io.siphon.model.TableId EXPECTED =
            io.siphon.model.TableId.of("public", "bench_expected");

    /**
     * What to run.
     *
     * @param rows rows in the table
     * @param parallelism the pipeline's parallelism, or 0 for the engine's default
     * @param chunkRows rows per snapshot chunk, or 0 for the engine's default
     * @param jfr where to write a JFR recording of the Siphon phase, or null for none
     * @param transforms operators to time in a second Siphon copy against the first, from {@link
     *     #TRANSFORMS}; empty for none
     */
    public record Settings(
            long rows,
            int parallelism,
            int chunkRows,
            Path jfr,
            java.util.List<String> transforms) {

        /** Checks the operators' names and copies the list. */
        public Settings {
            transforms = java.util.List.copyOf(transforms);
            for (String t : transforms) {
                if (!TRANSFORMS.containsKey(t)) {
                    throw new SiphonException(
                            ErrorCode.CONFIG_INVALID_VALUE,
                            "--transforms names '"
                                    + t
                                    + "', which this benchmark does not have; choose from "
                                    + String.join(",", TRANSFORMS.keySet()));
                }
            }
        }
    }

    /**
     * The operators the benchmark can time, each as its spec line and as what it does in SQL (the
     * expected table's select list, or its condition): the filter keeps every row, so both copies
     * write the same number of rows and the difference is the operators' work alone.
     */
    public static final java.util.Map<String, String> TRANSFORMS =
            new java.util.TreeMap<>(
                    java.util.Map.of(
                            "filter", "- filter: { where: \"row.quantity >= 0\" }",
                            "compute",
                                    "- compute: { set: { price_cents:"
                                            + " \"int(math.round(row.price * 100.0))\" } }",
                            "mask", "- mask: { columns: [description], with: sha256 }",
                            "drop", "- drop: { columns: [attributes] }"));

    private SnapshotPgBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @throws SiphonException when a copy fails or differs from the source
     */
    public static BenchResult run(Settings settings, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "snapshot-pg: %,d rows, PostgreSQL 17 -> PostgreSQL 17, both servers embedded on"
                        + " this machine (%d cores)%n",
                settings.rows(),
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (PostgresServer source = PostgresServer.start();
                PostgresServer target = PostgresServer.start()) {
            source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
            target.execute(
                    "postgres", "CREATE DATABASE " + NATIVE_DB, "CREATE DATABASE " + SIPHON_DB);

            long t0 = System.nanoTime();
            BenchTable.create(source, SOURCE_DB, settings.rows());
            out.printf(
                    Locale.ROOT,
                    "generated the source table in %.1fs (%s)%n",
                    seconds(System.nanoTime() - t0),
                    tableSize(source));
            out.flush();

            checkpoint(source, target);
            Duration nativeTime = nativeCopy(source, target, settings.rows(), out);
            checkpoint(source, target);
            Duration siphonTime = siphonCopy(source, target, settings, SIPHON_DB, List.of(), out);

            verify(source, target, NATIVE_DB, "native", out);
            verify(source, target, SIPHON_DB, "siphon", out);

            BenchResult.TransformsLegs legs = null;
            if (!settings.transforms().isEmpty()) {
                legs = transformsLegs(source, target, settings, siphonTime, out);
            }

            BenchResult result =
                    new BenchResult(
                            settings.rows(), nativeTime, siphonTime, settings.transforms(), legs);
            out.printf(Locale.ROOT, "ratio siphon/native: %.2f%n", result.ratio());
            if (legs != null) {
                out.printf(
                        Locale.ROOT,
                        "ratio with transforms %s / without (sum of both rounds): %.2f%n",
                        String.join(",", settings.transforms()),
                        result.transformsRatio());
            }
            out.println(result.json());
            out.flush();
            return result;
        }
    }

    /**
     * Times the copy through the operators against the copy without them, fairly: an untimed
     * warm-up of both first (so neither timed copy pays for the JIT compiling the other's code),
     * then two rounds in opposite order (with, without; then without, with) so that neither leg
     * always runs second. Each copy is verified, then its database dropped to spare the disk.
     *
     * @param firstPlain the timed copy without operators that already ran (after the native one),
     *     here only for its place in the output; the rounds time their own
     */
    private static BenchResult.TransformsLegs transformsLegs(
            PostgresServer source,
            PostgresServer target,
            Settings settings,
            Duration firstPlain,
            PrintWriter out) {
        List<String> ops = settings.transforms();
        createExpected(source, ops);
        out.printf(
                Locale.ROOT,
                "transforms %s: warm-up of both copies (not counted), then two rounds in"
                        + " opposite order (copy without them: %.2fs above, not counted here)%n",
                ops,
                seconds(firstPlain.toNanos()));
        out.flush();
        timedLeg(source, target, settings, List.of(), "bench_warmup_plain", out);
        timedLeg(source, target, settings, ops, "bench_warmup_transforms", out);
        Duration with = timedLeg(source, target, settings, ops, TRANSFORMED_DB, out);
        Duration without = timedLeg(source, target, settings, List.of(), "bench_plain_1", out);
        without = without.plus(timedLeg(source, target, settings, List.of(), "bench_plain_2", out));
        with = with.plus(timedLeg(source, target, settings, ops, "bench_transformed_2", out));
        return new BenchResult.TransformsLegs(without, with, 2);
    }

    /** One verified copy into a fresh database of the target, which is dropped after. */
    private static Duration timedLeg(
            PostgresServer source,
            PostgresServer target,
            Settings settings,
            List<String> transforms,
            String targetDb,
            PrintWriter out) {
        target.execute("postgres", "CREATE DATABASE " + targetDb);
        checkpoint(source, target);
        Duration time = siphonCopy(source, target, settings, targetDb, transforms, out);
        if (transforms.isEmpty()) {
            verify(source, target, targetDb, targetDb, out);
        } else {
            verifyTransformed(target, source, targetDb, out);
        }
        target.execute("postgres", "DROP DATABASE " + targetDb);
        return time;
    }

    /**
     * Flushes both servers' dirty pages, so that neither copy pays for a checkpoint of what the
     * generator or the other copy wrote.
     */
    private static void checkpoint(PostgresServer source, PostgresServer target) {
        source.execute("postgres", "CHECKPOINT");
        target.execute("postgres", "CHECKPOINT");
    }

    private static Duration nativeCopy(
            PostgresServer source, PostgresServer target, long rows, PrintWriter out) {
        target.execute(NATIVE_DB, BenchTable.DDL);
        try (Connection from = source.connect(SOURCE_DB);
                Connection to = target.connect(NATIVE_DB)) {
            long t0 = System.nanoTime();
            long copied =
                    NativeCopy.copy(
                            from, "SELECT * FROM " + BenchTable.ID, to, BenchTable.ID.toString());
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            if (copied != rows) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "the native COPY took " + copied + " rows instead of " + rows);
            }
            printRate(out, "native COPY (FORMAT binary) pipe", rows, time);
            return time;
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, "native copy: " + e.getMessage(), e);
        }
    }

    private static Duration siphonCopy(
            PostgresServer source,
            PostgresServer target,
            Settings settings,
            String targetDb,
            List<String> transforms,
            PrintWriter out) {
        StringBuilder yaml =
                new StringBuilder()
                        .append("name: bench-snapshot-pg\n")
                        .append("source:\n")
                        .append("  type: postgres\n")
                        .append("  url: ")
                        .append(source.jdbcUrl(SOURCE_DB))
                        .append('\n')
                        .append("  user: ")
                        .append(PostgresServer.USER)
                        .append('\n')
                        .append("  tables: [")
                        .append(BenchTable.ID)
                        .append("]\n")
                        .append("sink:\n")
                        .append("  type: postgres\n")
                        .append("  url: ")
                        .append(target.jdbcUrl(targetDb))
                        .append('\n')
                        .append("  user: ")
                        .append(PostgresServer.USER)
                        .append('\n')
                        .append("mode: snapshot\n");
        if (settings.parallelism() > 0) {
            yaml.append("parallelism: ").append(settings.parallelism()).append('\n');
        }
        if (settings.chunkRows() > 0) {
            yaml.append("chunk-rows: ").append(settings.chunkRows()).append('\n');
        }
        if (!transforms.isEmpty()) {
            yaml.append("transforms:\n");
            transforms.forEach(t -> yaml.append("  ").append(TRANSFORMS.get(t)).append('\n'));
        }
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(yaml.toString(), "bench-snapshot-pg");
        Path stateDir = TempDirectories.create("siphon-bench-state-");
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            Recording recording = settings.jfr() == null ? null : startRecording(settings.jfr());
            long cpu0 = jvmCpuNanos();
            long t0 = System.nanoTime();
            PipelineRun run = engine.start(spec);
            RunResult result = run.await();
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            long cpu = jvmCpuNanos() - cpu0;
            if (recording != null) {
                recording.stop();
                recording.close();
                out.println("JFR recording of the Siphon phase: " + settings.jfr());
            }
            if (result.status() != RunStatus.COMPLETED) {
                throw result.error() != null
                        ? result.error()
                        : new SiphonException(
                                ErrorCode.INTERNAL_ERROR,
                                "the Siphon run ended " + result.status());
            }
            printRate(
                    out,
                    (transforms.isEmpty() ? "" : "with transforms " + transforms + ", ")
                            + "siphon snapshot (parallelism "
                            + spec.parallelism()
                            + ", "
                            + String.format(Locale.ROOT, "%,d", spec.chunkRows())
                            + " rows per chunk)",
                    result.rowsWritten(),
                    time);
            // The work, not the wait: on a busy machine the rate scatters, the CPU time much less.
            out.printf(
                    Locale.ROOT,
                    "  CPU time of this JVM during that copy: %.2fs (%.2f us a row; the servers"
                            + " not counted)%n",
                    cpu / 1e9,
                    cpu / 1e3 / Math.max(1, result.rowsWritten()));
            out.flush();
            return time;
        } finally {
            TempDirectories.deleteRecursively(stateDir);
        }
    }

    private static long jvmCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    private static void verify(
            PostgresServer source,
            PostgresServer target,
            String targetDb,
            String label,
            PrintWriter out) {
        try (Connection from = source.connect(SOURCE_DB);
                Connection to = target.connect(targetDb)) {
            Comparison c = TableComparator.compare(from, BenchTable.ID, to, BenchTable.ID);
            if (!c.equal()) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "the "
                                + label
                                + " copy differs from the source, so its time means nothing: "
                                + c);
            }
            out.printf(
                    Locale.ROOT,
                    "verified %s copy: %,d rows equal to the source (sha256 %s...)%n",
                    label,
                    c.rightRows(),
                    c.rightHash().substring(0, 12));
            out.flush();
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "verify: " + e.getMessage(), e);
        }
    }

    /**
     * Writes what the operators make of the source as a table at the source, in SQL (outside the
     * timed copies), to compare the transformed copies with.
     */
    private static void createExpected(PostgresServer source, List<String> transforms) {
        String description =
                transforms.contains("mask")
                        ? "encode(sha256(convert_to(description, 'UTF8')), 'hex') AS description"
                        : "description";
        source.execute(
                SOURCE_DB,
                "CREATE TABLE "
                        + EXPECTED
                        + " AS SELECT id, quantity, price, score, "
                        + description
                        + ", code, created_at, day, active, ref"
                        + (transforms.contains("drop") ? "" : ", attributes")
                        + (transforms.contains("compute")
                                ? ", (price * 100)::bigint AS price_cents"
                                : "")
                        + " FROM "
                        + BenchTable.ID
                        + (transforms.contains("filter") ? " WHERE quantity >= 0" : ""),
                "ALTER TABLE " + EXPECTED + " ADD PRIMARY KEY (id)");
    }

    /** Compares a transformed copy with the expected table {@link #createExpected} wrote. */
    private static void verifyTransformed(
            PostgresServer target, PostgresServer source, String targetDb, PrintWriter out) {
        try (Connection from = source.connect(SOURCE_DB);
                Connection to = target.connect(targetDb)) {
            Comparison c = TableComparator.compare(from, EXPECTED, to, BenchTable.ID);
            if (!c.equal()) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "the transformed copy differs from what the operators make of the source,"
                                + " so its time means nothing: "
                                + c);
            }
            out.printf(
                    Locale.ROOT,
                    "verified transformed copy: %,d rows equal to the source as transformed in"
                            + " SQL%n",
                    c.rightRows());
            out.flush();
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "verify: " + e.getMessage(), e);
        }
    }

    /** Starts a JFR recording (profile settings) into {@code file}. */
    static Recording startRecording(Path file) {
        try {
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setName("siphon-snapshot-pg");
            recording.setToDisk(true);
            recording.setDestination(file);
            recording.start();
            return recording;
        } catch (IOException | ParseException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "cannot record JFR to " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static String tableSize(PostgresServer server) {
        try (Connection c = server.connect(SOURCE_DB);
                var s = c.createStatement();
                var rs =
                        s.executeQuery(
                                "SELECT pg_size_pretty(pg_total_relation_size('"
                                        + BenchTable.ID
                                        + "'))")) {
            rs.next();
            return rs.getString(1) + " with its index";
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, e.getMessage(), e);
        }
    }

    private static void printRate(PrintWriter out, String what, long rows, Duration time) {
        out.printf(
                Locale.ROOT,
                "%s: %,d rows in %.2fs = %,d rows/s%n",
                what,
                rows,
                seconds(time.toNanos()),
                Math.round(rows * 1e9 / Math.max(1, time.toNanos())));
        out.flush();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
