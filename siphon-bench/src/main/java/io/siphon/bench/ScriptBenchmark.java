package io.siphon.bench;

import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.engine.transform.TransformRegistry;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.TransformChain;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code script} operator's cost: a JavaScript row function (GraalJS, sandboxed, with its time
 * and memory limits) run over rows in memory on one thread, no database. The function reads four
 * columns, computes two and returns the row, as a typical row function does.
 *
 * <ol>
 *   <li>warm-up, not counted: {@code rows} rows through the function (the JIT and GraalJS's own
 *       compiler settle);
 *   <li>three timed passes of {@code rows} rows each; each pass's rate is rows over the thread's
 *       CPU time (so rows/s <em>per core</em>, which a shared machine disturbs much less than wall
 *       time), and the wall rate beside it;
 *   <li>every output row of the last pass is checked against the same computation in Java.
 * </ol>
 *
 * <p>The last line printed is one JSON object: {@code bench}, {@code rows}, {@code rows_per_cpu_s}
 * (the median pass), {@code rows_per_s} (wall time, same pass).
 */
public final class ScriptBenchmark {

    static final String FUNCTION =
            "(row, ctx) => { row.price_cents = Math.round(row.price * 100);"
                    + " row.label = row.code.toUpperCase() + '-' + (row.quantity % 7);"
                    + " return row; }";

    private static final TableSchema SCHEMA =
            new TableSchema(
                    TableId.of("public", "bench_rows"),
                    List.of(
                            new Column("id", new DataType.Int64(), false, null),
                            Column.of("quantity", new DataType.Int32()),
                            Column.of("price", new DataType.Float64()),
                            Column.of("code", DataType.StringType.unbounded()),
                            Column.of("description", DataType.StringType.unbounded())),
                    List.of("id"));

    private static final int PASSES = 3;

    private ScriptBenchmark() {}

    /**
     * Runs the benchmark, printing each pass and, last, the JSON line.
     *
     * @param rows rows per pass
     * @throws SiphonException when an output row is not what the function should make
     */
    public static void run(long rows, PrintWriter out) {
        TransformChain chain = chain();
        List<Row> input = new ArrayList<>();
        for (long i = 1; i <= Math.min(rows, 10_000); i++) {
            input.add(row(i));
        }
        out.printf(
                Locale.ROOT,
                "script: a JavaScript row function over %,d rows per pass, one thread (%d cores"
                        + " on this machine)%n  %s%n",
                rows,
                Runtime.getRuntime().availableProcessors(),
                FUNCTION);
        out.flush();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Row> last = new ArrayList<>();
        pass(chain, input, rows, last);
        out.println("warm-up pass done (not counted)");
        long[] cpuRates = new long[PASSES];
        long[] wallRates = new long[PASSES];
        for (int p = 0; p < PASSES; p++) {
            last.clear();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            pass(chain, input, rows, last);
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            cpuRates[p] = Math.round(rows * 1e9 / Math.max(1, cpu));
            wallRates[p] = Math.round(rows * 1e9 / Math.max(1, wall));
            out.printf(
                    Locale.ROOT,
                    "pass %d: %,d rows/s per core (CPU time %.2fs), %,d rows/s wall (%.2fs)%n",
                    p + 1,
                    cpuRates[p],
                    cpu / 1e9,
                    wallRates[p],
                    wall / 1e9);
            out.flush();
        }
        check(input, last);
        out.printf(Locale.ROOT, "verified: every row of the last pass as computed in Java%n");
        int median = medianIndex(cpuRates);
        out.printf(
                Locale.ROOT,
                "{\"bench\":\"script\",\"rows\":%d,\"rows_per_cpu_s\":%d,\"rows_per_s\":%d}%n",
                rows,
                cpuRates[median],
                wallRates[median]);
        out.flush();
    }

    private static TransformChain chain() {
        String yaml =
                """
                name: bench-script
                source: { type: postgres, url: "jdbc:postgresql://localhost/none", user: none }
                sink: { type: postgres, url: "jdbc:postgresql://localhost/none", user: none }
                mode: snapshot
                transforms:
                  - script:
                      columns: { price_cents: int64, label: string }
                      function: "%s"
                """
                        .formatted(FUNCTION.replace("\"", "\\\""));
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors().parse(yaml, "bench-script");
        return TransformChain.bind(TransformRegistry.installed().steps(spec.transforms()), SCHEMA);
    }

    private static Row row(long i) {
        return Row.of(
                i,
                (int) (i % 1000),
                (i % 100_000) / 100.0,
                "c" + Long.toString(i, 36),
                "row number " + i + " of the script benchmark");
    }

    /** Sends {@code rows} rows through the chain, cycling over {@code input}; keeps the last. */
    private static void pass(TransformChain chain, List<Row> input, long rows, List<Row> last) {
        int size = input.size();
        for (long i = 0; i < rows; i++) {
            Row in = input.get((int) (i % size));
            if (i >= rows - size) {
                chain.row(in, last::add);
            } else {
                chain.row(in, r -> {});
            }
        }
    }

    private static void check(List<Row> input, List<Row> last) {
        if (last.size() != input.size()) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "the last pass kept " + last.size() + " rows instead of " + input.size());
        }
        for (Row out : last) {
            long id = (Long) out.get(0);
            Row in = input.get((int) ((id - 1) % input.size()));
            Row expected =
                    Row.of(
                            in.get(0),
                            in.get(1),
                            in.get(2),
                            in.get(3),
                            in.get(4),
                            Math.round((Double) in.get(2) * 100),
                            ((String) in.get(3)).toUpperCase(Locale.ROOT)
                                    + "-"
                                    + ((Integer) in.get(1) % 7));
            if (!expected.equals(out)) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "row " + id + " came out as " + out + " instead of " + expected);
            }
        }
    }

    private static int medianIndex(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == sorted[values.length / 2]) {
                return i;
            }
        }
        return 0;
    }
}
