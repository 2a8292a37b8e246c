package io.siphon.cli;

import io.siphon.bench.SnapshotPgBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        subcommands = {BenchCommand.SnapshotPg.class})
final class BenchCommand implements Runnable {

    @Spec private CommandSpec command;

    @Override
    public void run() {
        throw new ParameterException(command.commandLine(), "Name a benchmark: snapshot-pg");
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
}
