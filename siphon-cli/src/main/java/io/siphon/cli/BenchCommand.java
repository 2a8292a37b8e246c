package io.siphon.cli;

import io.siphon.bench.CdcPgBenchmark;
import io.siphon.bench.SnapshotPgBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code siphon bench ...}: benchmarks against native baselines, on embedded servers. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = "Benchmarks Siphon against the native tools of a database, in one run.",
        subcommands = {BenchCommand.SnapshotPg.class, BenchCommand.CdcPg.class})
final class BenchCommand implements Runnable {

    @Spec private CommandSpec command;

    @Override
    public void run() {
        throw new ParameterException(
                command.commandLine(), "Name a benchmark: snapshot-pg or cdc-pg");
    }

    /** {@code siphon bench snapshot-pg}: see {@link SnapshotPgBenchmark}. */
    @Command(
            name = "snapshot-pg",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Snapshot of one PostgreSQL table: Siphon against COPY piped into COPY.",
                "Copies one table of mixed types between two embedded PostgreSQL servers, first"
                        + " with COPY (FORMAT binary) piped into COPY FROM STDIN (the native"
                        + " baseline), then with a Siphon snapshot; verifies both copies and"
                        + " prints both rates and their ratio.",
                "The last line is one JSON object: bench, rows, native_rows_per_s,"
                        + " siphon_rows_per_s, ratio."
            })
    static final class SnapshotPg implements Callable<Integer> {

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "5000000",
                description = "Rows in the table (default: ${DEFAULT-VALUE})")
        private long rows;

        @Option(
                names = "--parallelism",
                paramLabel = "P",
                description = "Parallelism of the Siphon pipeline (default: the engine's)")
        private int parallelism;

        @Option(
                names = "--chunk-rows",
                paramLabel = "N",
                description = "Rows per snapshot chunk (default: the engine's)")
        private int chunkRows;

        @Option(
                names = "--jfr",
                paramLabel = "FILE",
                arity = "0..1",
                fallbackValue = "siphon-snapshot-pg.jfr",
                description =
                        "Record the Siphon phase with Java Flight Recorder into FILE (default"
                                + " name: ${FALLBACK-VALUE}); open it with JDK Mission Control or"
                                + " `jfr print`")
        private Path jfr;

        @Spec private CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (rows < 1) {
                throw new ParameterException(command.commandLine(), "--rows must be at least 1");
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            SnapshotPgBenchmark.run(
                    new SnapshotPgBenchmark.Settings(rows, parallelism, chunkRows, jfr), out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench cdc-pg}: see {@link CdcPgBenchmark}. */
    @Command(
            name = "cdc-pg",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Change data capture between two PostgreSQL servers: Siphon against native"
                        + " logical replication.",
                "Runs the same pgbench-like workload (updates, inserts, deletes on one table with"
                        + " a primary key, several clients, a fixed seed) flat out for --duration"
                        + " seconds, first into a native publication/subscription, then into a"
                        + " Siphon cdc pipeline, and times each until the target has caught up;"
                        + " then measures Siphon's commit-to-visible latency at half its rate."
                        + " Verifies both targets.",
                "The last line is one JSON object: bench, native_events_per_s,"
                        + " siphon_events_per_s, ratio, p50_ms, p99_ms."
            })
    static final class CdcPg implements Callable<Integer> {

        @Option(
                names = "--duration",
                paramLabel = "SECONDS",
                defaultValue = "30",
                description = "How long the workload runs flat out (default: ${DEFAULT-VALUE})")
        private int duration;

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "100000",
                description = "Rows in the table before the workload (default: ${DEFAULT-VALUE})")
        private long rows;

        @Option(
                names = "--clients",
                paramLabel = "N",
                defaultValue = "4",
                description = "Workload clients (default: ${DEFAULT-VALUE})")
        private int clients;

        @Spec private CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (duration < 2) {
                throw new ParameterException(
                        command.commandLine(), "--duration must be at least 2");
            }
            if (rows < clients || clients < 1) {
                throw new ParameterException(
                        command.commandLine(),
                        "--clients must be at least 1 and --rows at least --clients");
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            CdcPgBenchmark.run(
                    new CdcPgBenchmark.Settings(Duration.ofSeconds(duration), rows, clients), out);
            return SiphonCli.EXIT_OK;
        }
    }
}
