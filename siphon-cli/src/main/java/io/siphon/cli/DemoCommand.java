package io.siphon.cli;

import io.siphon.cli.demo.ShopDataset;
import io.siphon.cli.demo.ShopDemo;
import io.siphon.cli.terminal.RowRates;
import io.siphon.cli.terminal.RunSummary;
import io.siphon.cli.terminal.Terminal;
import io.siphon.cli.terminal.Units;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.TableProgress;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.testkit.compare.Comparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code siphon demo}: two embedded PostgreSQL servers, a sample shop in one, a snapshot pipeline
 * into the other with live progress, and a row-by-row verification of every table.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Copies a sample shop between two embedded PostgreSQL servers and verifies it.",
            "Nothing to set up: starts two embedded PostgreSQL 17 servers, loads a shop"
                    + " (customers, products, orders, order items) into one, copies it into the"
                    + " other with a snapshot pipeline, with live progress, and compares every"
                    + " table with the source. Exits 0 only if every table is equal."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--rows",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Rows in the shop, over all tables (default: ${DEFAULT-VALUE})")
    private long rows;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            description = "Parallel readers and writers (default: the number of cores)")
    private int parallelism = Runtime.getRuntime().availableProcessors();

    @Spec private CommandSpec command;

    @Override
    public Integer call() throws IOException {
        if (rows < ShopDataset.MIN_ROWS) {
            throw new ParameterException(
                    command.commandLine(), "--rows must be at least " + ShopDataset.MIN_ROWS);
        }
        if (parallelism < 1) {
            throw new ParameterException(command.commandLine(), "--parallelism must be at least 1");
        }
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Terminal terminal = Terminal.detect();
        ShopDataset dataset = ShopDataset.ofTotal(rows);
        Path work = Files.createTempDirectory("siphon-demo-");
        Path stateDir = work.resolve("state");
        LogFile.useStateDir(stateDir);

        out.println(
                "Siphon demo: a sample shop copied from one PostgreSQL to another, then verified.");
        out.println();
        int exit;
        try (Interruption interruption = Interruption.install()) {
            try {
                exit = demo(dataset, work, stateDir, terminal, interruption, out, err);
            } catch (SiphonException e) {
                if (interruption.interrupted()) {
                    // On Ctrl-C the embedded servers' own shutdown hooks stop them while the run
                    // stops, so a failure that follows is a consequence, not news.
                    out.println("Demo stopped (Ctrl-C).");
                    exit = SiphonCli.EXIT_INTERRUPTED;
                } else {
                    exit = ErrorReport.report(err, "demo", e);
                }
            }
        }
        if (exit == SiphonCli.EXIT_OK) {
            deleteRecursively(work);
        } else {
            err.println("The demo's log is in " + stateDir.resolve(LogFile.NAME));
        }
        return exit;
    }

    private int demo(
            ShopDataset dataset,
            Path work,
            Path stateDir,
            Terminal terminal,
            Interruption interruption,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        try (ShopDemo demo =
                step(out, "Starting two embedded PostgreSQL 17 servers", ShopDemo::start)) {
            step(
                    out,
                    "Loading " + Units.count(dataset.total()) + " rows into the source database",
                    () -> {
                        demo.load(dataset);
                        return null;
                    });
            for (ShopDataset.TableCount t : dataset.tables()) {
                out.printf("  %-20s %12s rows%n", t.table(), Units.count(t.rows()));
            }
            out.println();

            String yaml = demo.pipelineYaml(parallelism);
            Path file = work.resolve("demo-shop.yaml");
            Files.writeString(file, yaml);
            out.println("The pipeline (copy it and point the urls at your own databases):");
            out.println();
            yaml.lines().forEach(line -> out.println("    " + line));
            out.println();
            PipelineSpec spec = PipelineSpecParser.withInstalledConnectors().parse(file);

            RunResult result;
            out.println(PipelineHeadline.of(spec));
            try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
                PipelineRun run = engine.start(spec);
                interruption.onInterrupt(run::stop);
                result = RunConsole.follow(run, terminal, RowRates.FRESH, out);
            }
            if (interruption.interrupted()) {
                out.println();
                out.println("Demo stopped (Ctrl-C).");
                return SiphonCli.EXIT_INTERRUPTED;
            }
            if (result.status() != RunStatus.COMPLETED) {
                return RunConsole.report(
                        result,
                        new RunConsole.Ending(RowRates.FRESH, stateDir, null, null),
                        out,
                        err);
            }

            out.println();
            Map<TableId, Comparison> checks =
                    step(
                            out,
                            "Verifying every table against the source (SHA-256 over all rows)",
                            () ->
                                    demo.verify(
                                            spec,
                                            result.tables().stream()
                                                    .map(TableProgress::source)
                                                    .toList()));
            out.println();
            RunSummary.lines(
                            result,
                            RowRates.FRESH,
                            t -> terminal.mark(checks.get(t.source()).equal()))
                    .forEach(out::println);
            out.println();
            long differing = checks.values().stream().filter(c -> !c.equal()).count();
            if (differing > 0) {
                out.flush();
                checks.values().stream()
                        .filter(c -> !c.equal())
                        .forEach(c -> err.println("  " + c));
                ErrorReport.print(
                        err,
                        new SiphonException(
                                ErrorCode.DATA_INVALID,
                                differing
                                        + " of "
                                        + checks.size()
                                        + " tables differ from the source; this is a bug in"
                                        + " Siphon, please report it with the log"));
                return SiphonCli.EXIT_FAILED;
            }
            out.println(
                    "All "
                            + checks.size()
                            + " tables are equal to the source: "
                            + Units.count(result.rowsWritten())
                            + " rows copied in "
                            + Units.duration(result.elapsed())
                            + " ("
                            + Units.count(Units.perSecond(result.rowsWritten(), result.elapsed()))
                            + " rows/s).");
            out.println(
                    "Next: write a pipeline for your own databases and run `siphon validate`,"
                            + " then `siphon run`.");
            return SiphonCli.EXIT_OK;
        }
    }

    /** Prints what is being done, does it, and prints how long it took. */
    private static <T> T step(PrintWriter out, String what, Supplier<T> action) {
        out.print(what + "... ");
        out.flush();
        long t0 = System.nanoTime();
        T result = action.get();
        out.println("done (" + Units.duration(Duration.ofNanos(System.nanoTime() - t0)) + ")");
        out.flush();
        return result;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
