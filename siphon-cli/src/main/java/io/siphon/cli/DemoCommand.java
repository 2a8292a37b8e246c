package io.siphon.cli;

import io.siphon.cli.demo.LiveChanges;
import io.siphon.cli.demo.ShopDataset;
import io.siphon.cli.demo.ShopDemo;
import io.siphon.cli.terminal.RowRates;
import io.siphon.cli.terminal.RunSummary;
import io.siphon.cli.terminal.Terminal;
import io.siphon.cli.terminal.TerminalLogAppender;
import io.siphon.cli.terminal.Units;
import io.siphon.embedded.TempDirectories;
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
import io.siphon.verify.Comparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code siphon demo}: two embedded PostgreSQL servers, a sample shop in one, a snapshot+cdc
 * pipeline into the other with live progress while a workload changes the shop, and a row-by-row
 * verification of every table once the target has caught up.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Copies a sample shop between two embedded servers, streams its changes and"
                    + " verifies it.",
            "Nothing to set up: starts two embedded PostgreSQL 17 servers, loads a shop"
                    + " (customers, products, orders, order items) into one, copies it into the"
                    + " other (or, with --sink mysql, into an embedded MariaDB; with --sink redis, into"
                    + " an embedded Redis, showing lookups by key while changes stream; with"
                    + " --sink opensearch, into an embedded OpenSearch node, showing searches while"
                    + " changes stream; with --sink kafka, into an embedded Kafka broker, a topic"
                    + " per table in Debezium's change event format, showing records as a consumer"
                    + " receives them; with"
                    + " --source mysql, from an embedded MariaDB) with a"
                    + " snapshot+cdc pipeline, with live progress; meanwhile two"
                    + " clients change the shop for --duration seconds (inserts, updates,"
                    + " deletes and one ADD COLUMN). Once the target has caught up, the pipeline"
                    + " stops and every table is compared with the source. Exits 0 only if every"
                    + " table is equal."
        })
final class DemoCommand implements Callable<Integer> {

    private static final String SNAPSHOT = "snapshot";
    private static final String SNAPSHOT_CDC = "snapshot+cdc";

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

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "snapshot+cdc",
            description =
                    "snapshot+cdc: copy, then stream live changes; snapshot: only copy (default:"
                            + " ${DEFAULT-VALUE})")
    private String mode;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description =
                    "How long the live workload changes the shop, with snapshot+cdc (default:"
                            + " ${DEFAULT-VALUE})")
    private int duration;

    @Option(
            names = "--sink",
            paramLabel = "TYPE",
            defaultValue = "postgres",
            description =
                    "The target: postgres (a second embedded PostgreSQL), mysql (an embedded"
                            + " MariaDB 11.4, written by the mysql sink), redis (an embedded"
                            + " Redis, each row a hash; lookups by key show fresh rows while"
                            + " changes stream) or opensearch (an embedded OpenSearch 3 node, an"
                            + " index per table; searches show fresh documents while changes"
                            + " stream) or kafka (an embedded Kafka 4 broker, a topic per table"
                            + " in Debezium's change event format; a consumer shows records as"
                            + " they arrive) (default: ${DEFAULT-VALUE})")
    private String sink;

    @Option(
            names = "--source",
            paramLabel = "TYPE",
            defaultValue = "postgres",
            description =
                    "The source: postgres (an embedded PostgreSQL) or mysql (an embedded MariaDB"
                            + " 11.4 with the shop in its own types, read from its binary log by"
                            + " the mysql source) (default: ${DEFAULT-VALUE})")
    private String source;

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
        if (!mode.equals(SNAPSHOT) && !mode.equals(SNAPSHOT_CDC)) {
            throw new ParameterException(
                    command.commandLine(), "--mode must be snapshot+cdc or snapshot");
        }
        if (!sink.equals("postgres")
                && !sink.equals("mysql")
                && !sink.equals("redis")
                && !sink.equals("opensearch")
                && !sink.equals("kafka")) {
            throw new ParameterException(
                    command.commandLine(),
                    "--sink must be postgres, mysql, redis, opensearch or kafka");
        }
        if (!source.equals("postgres") && !source.equals("mysql")) {
            throw new ParameterException(
                    command.commandLine(), "--source must be postgres or mysql");
        }
        if (duration < 1) {
            throw new ParameterException(command.commandLine(), "--duration must be at least 1");
        }
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Terminal terminal = Terminal.detect();
        ShopDataset dataset = ShopDataset.ofTotal(rows);
        Path work = Files.createTempDirectory("siphon-demo-");
        Path stateDir = work.resolve("state");
        LogFile.useStateDir(stateDir);

        String route =
                "from "
                        + (source.equals(sink)
                                ? "one " + family(source) + " to another"
                                : family(source)
                                        + (sink.equals("redis")
                                                        || sink.equals("opensearch")
                                                        || sink.equals("kafka")
                                                ? " into "
                                                : " to ")
                                        + family(sink));
        out.println(
                mode.equals(SNAPSHOT)
                        ? "Siphon demo: a sample shop copied " + route + ", then verified."
                        : "Siphon demo: a sample shop copied "
                                + route
                                + ", its live changes streamed, then verified.");
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
            TempDirectories.deleteRecursively(work);
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
                step(
                        out,
                        source.equals(sink)
                                ? "Starting two embedded " + serverName(source) + " servers"
                                : "Starting an embedded "
                                        + serverName(source)
                                        + (sink.equals("opensearch") ? " and an " : " and a ")
                                        + serverName(sink)
                                        + switch (sink) {
                                            case "opensearch" -> " node";
                                            case "kafka" -> " broker";
                                            default -> " server";
                                        },
                        () -> ShopDemo.start(source.equals("mysql"), sink))) {
            step(
                    out,
                    "Loading " + Units.count(dataset.total()) + " rows into the source database",
                    () -> {
                        demo.load(dataset);
                        return null;
                    });
            for (ShopDataset.TableCount t : demo.tables(dataset)) {
                out.printf("  %-20s %12s rows%n", t.table(), Units.count(t.rows()));
            }
            out.println();

            String yaml = demo.pipelineYaml(parallelism, mode);
            Path file = work.resolve("demo-shop.yaml");
            Files.writeString(file, yaml);
            out.println("The pipeline (copy it and point the urls at your own databases):");
            out.println();
            yaml.lines().forEach(line -> out.println("    " + line));
            out.println();
            PipelineSpec spec = PipelineSpecParser.withInstalledConnectors().parse(file);

            RunResult result;
            LiveChanges live = null;
            out.println(PipelineHeadline.of(spec));
            try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
                PipelineRun run = engine.start(spec);
                interruption.onInterrupt(run::stop);
                if (mode.equals(SNAPSHOT_CDC)) {
                    live =
                            LiveChanges.start(
                                    demo,
                                    dataset,
                                    spec,
                                    demo.tables(dataset).stream()
                                            .map(ShopDataset.TableCount::table)
                                            .toList(),
                                    run,
                                    Duration.ofSeconds(duration),
                                    note(terminal, out));
                }
                try {
                    result = RunConsole.follow(run, terminal, RowRates.FRESH, out);
                } finally {
                    if (live != null) {
                        live.close();
                    }
                }
            }
            if (interruption.interrupted()) {
                out.println();
                out.println("Demo stopped (Ctrl-C).");
                return SiphonCli.EXIT_INTERRUPTED;
            }
            if (live != null && live.failure() != null) {
                throw live.failure();
            }
            if (live != null && live.catchUp() == null && result.status() == RunStatus.STOPPED) {
                throw new SiphonException(
                        ErrorCode.INTERNAL_ERROR,
                        "the target did not catch up with the source within "
                                + Units.duration(LiveChanges.CATCH_UP_TIMEOUT)
                                + " after the workload stopped; this is a bug in Siphon, please"
                                + " report it with the log");
            }
            RunStatus expected = live == null ? RunStatus.COMPLETED : RunStatus.STOPPED;
            if (result.status() != expected) {
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
                            + " rows copied"
                            + (live == null
                                    ? " in "
                                            + Units.duration(result.elapsed())
                                            + " ("
                                            + Units.count(
                                                    Units.perSecond(
                                                            result.rowsWritten(), result.elapsed()))
                                            + " rows/s)."
                                    : ", then "
                                            + Units.count(RunSummary.changeCount(result))
                                            + " changes streamed; the target had caught up"
                                            + " within "
                                            + Units.duration(live.catchUp())
                                            + " after the workload stopped."));
            out.println(
                    "Next: write a pipeline for your own databases and run `siphon validate`,"
                            + " then `siphon run`; `siphon status` shows it from another"
                            + " terminal.");
            return SiphonCli.EXIT_OK;
        }
    }

    /** The embedded server of a {@code --source}/{@code --sink} type, for messages. */
    private static String serverName(String type) {
        return switch (type) {
            case "mysql" -> "MariaDB 11.4";
            case "redis" -> "Redis";
            case "opensearch" -> "OpenSearch 3";
            case "kafka" -> "Kafka 4";
            default -> "PostgreSQL 17";
        };
    }

    private static String family(String type) {
        return switch (type) {
            case "mysql" -> "MariaDB";
            case "redis" -> "Redis";
            case "opensearch" -> "OpenSearch";
            case "kafka" -> "Kafka";
            default -> "PostgreSQL";
        };
    }

    /**
     * Where the live part's news goes: above the live display on a terminal, as marked lines in
     * plain output.
     */
    private static Consumer<String> note(Terminal terminal, PrintWriter out) {
        if (terminal.interactive()) {
            return TerminalLogAppender::printLine;
        }
        return line -> {
            out.println("-- " + line);
            out.flush();
        };
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
}
