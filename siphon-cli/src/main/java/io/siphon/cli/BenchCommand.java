package io.siphon.cli;

import io.siphon.bench.CdcMySqlBenchmark;
import io.siphon.bench.CdcPgBenchmark;
import io.siphon.bench.IdlePgBenchmark;
import io.siphon.bench.ScriptBenchmark;
import io.siphon.bench.SnapshotKafkaBenchmark;
import io.siphon.bench.SnapshotMySqlBenchmark;
import io.siphon.bench.SnapshotOpenSearchBenchmark;
import io.siphon.bench.SnapshotPgBenchmark;
import io.siphon.bench.SnapshotRedisBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
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
        subcommands = {
            BenchCommand.SnapshotPg.class,
            BenchCommand.CdcPg.class,
            BenchCommand.IdlePg.class,
            BenchCommand.SnapshotRedis.class,
            BenchCommand.SnapshotKafka.class,
            BenchCommand.SnapshotMySql.class,
            BenchCommand.CdcMySql.class,
            BenchCommand.SnapshotOpenSearch.class,
            BenchCommand.Script.class
        })
final class BenchCommand implements Runnable {

    @Spec private CommandSpec command;

    @Override
    public void run() {
        throw new ParameterException(
                command.commandLine(),
                "Name a benchmark: snapshot-pg, cdc-pg, idle-pg, snapshot-redis, snapshot-kafka,"
                        + " snapshot-mysql, cdc-mysql, snapshot-opensearch or script");
    }

    /** {@code siphon bench script}: see {@link ScriptBenchmark}. */
    @Command(
            name = "script",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "The script operator's cost: a JavaScript row function over rows in memory.",
                "Runs a row function (reads four columns, computes two) through the script"
                        + " operator's sandbox on one thread, no database: a warm-up pass, then"
                        + " three timed passes, rows/s per core from the thread's CPU time;"
                        + " checks the last pass's rows.",
                "The last line is one JSON object: bench, rows, rows_per_cpu_s, rows_per_s."
            })
    static final class Script implements Callable<Integer> {

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "Rows per pass (default: ${DEFAULT-VALUE})")
        private long rows;

        @Spec private CommandSpec command;

        @Override
        public Integer call() {
            if (rows < 1) {
                throw new ParameterException(command.commandLine(), "--rows must be at least 1");
            }
            ScriptBenchmark.run(rows, command.commandLine().getOut());
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench snapshot-kafka}: see {@link SnapshotKafkaBenchmark}. */
    @Command(
            name = "snapshot-kafka",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Snapshot of one PostgreSQL table into Kafka: Siphon against Kafka's producer"
                        + " ceiling and Debezium's snapshot read rate.",
                "Loads one table of mixed types into an embedded PostgreSQL and starts an in-JVM"
                        + " Kafka 4 broker; reads the table with Debezium's embedded engine into a"
                        + " handler that only counts (when Debezium is beside siphon.jar, in"
                        + " lib/kafka); copies it with a Siphon snapshot into a topic in Debezium's"
                        + " envelope and checks every record against its row; then sends as many"
                        + " of Siphon's records again with P plain producers of the sink's"
                        + " settings (Kafka's own ceiling for these records). Prints the rates and"
                        + " Siphon's ratio to each.",
                "The last line is one JSON object: bench, rows, value_bytes,"
                        + " producer_rows_per_s, siphon_rows_per_s, producer_ratio,"
                        + " debezium_rows_per_s, debezium_ratio (null without Debezium)."
            })
    static final class SnapshotKafka implements Callable<Integer> {

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "Rows in the table (default: ${DEFAULT-VALUE})")
        private long rows;

        @Option(
                names = "--parallelism",
                paramLabel = "P",
                description =
                        "Parallelism of the Siphon pipeline and producers of the ceiling"
                                + " (default: the number of cores)")
        private int parallelism = Runtime.getRuntime().availableProcessors();

        @Spec private CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (rows < 1 || parallelism < 1) {
                throw new ParameterException(
                        command.commandLine(), "--rows and --parallelism must be at least 1");
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            SnapshotKafkaBenchmark.run(rows, parallelism, out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench snapshot-redis}: see {@link SnapshotRedisBenchmark}. */
    @Command(
            name = "snapshot-redis",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Snapshot of one PostgreSQL table into Redis: Siphon against pipelined HSET.",
                "Loads one table of mixed types into an embedded PostgreSQL, writes its rows into"
                        + " an embedded Redis as hashes with pipelined HSET over P connections"
                        + " (Redis's own ceiling, rows read into memory first), then copies the"
                        + " table with a Siphon snapshot into the same Redis; checks both copies"
                        + " and prints both rates and their ratio.",
                "The last line is one JSON object: bench, rows, native_rows_per_s,"
                        + " siphon_rows_per_s, ratio."
            })
    static final class SnapshotRedis implements Callable<Integer> {

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "Rows in the table (default: ${DEFAULT-VALUE})")
        private long rows;

        @Option(
                names = "--parallelism",
                paramLabel = "P",
                description =
                        "Parallelism of the Siphon pipeline and connections of the HSET ceiling"
                                + " (default: the number of cores)")
        private int parallelism = Runtime.getRuntime().availableProcessors();

        @Spec private CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (rows < 1 || parallelism < 1) {
                throw new ParameterException(
                        command.commandLine(), "--rows and --parallelism must be at least 1");
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            SnapshotRedisBenchmark.run(rows, parallelism, out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench snapshot-mysql}: see {@link SnapshotMySqlBenchmark}. */
    @Command(
            name = "snapshot-mysql",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Snapshot of one MySQL-family table: Siphon against mysqldump | mysql.",
                "Copies one table of mixed types between two embedded MariaDB 11.4 servers, first"
                        + " with mariadb-dump --single-transaction piped into mariadb (the native"
                        + " baseline), then with a Siphon snapshot; verifies both copies and"
                        + " prints both rates and their ratio.",
                "The last line is one JSON object: bench, rows, native_rows_per_s,"
                        + " siphon_rows_per_s, ratio."
            })
    static final class SnapshotMySql implements Callable<Integer> {

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
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
                fallbackValue = "siphon-snapshot-mysql.jfr",
                description =
                        "Record the Siphon phase with Java Flight Recorder into FILE (default"
                                + " name: ${FALLBACK-VALUE})")
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
            SnapshotMySqlBenchmark.run(
                    new SnapshotMySqlBenchmark.Settings(rows, parallelism, chunkRows, jfr), out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench cdc-mysql}: see {@link CdcMySqlBenchmark}. */
    @Command(
            name = "cdc-mysql",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Change data capture between two MariaDB servers: Siphon's drain rate and latency.",
                "Builds a backlog in the binary log with --duration seconds of the accounts"
                        + " workload run flat out while the pipeline is stopped, then times the"
                        + " pipeline draining it until the target has every change. Then measures"
                        + " commit-to-visible latency at half that drain rate. Verifies the target.",
                "The last line is one JSON object: bench, workload, events, siphon_events_per_s,"
                        + " drain_s, latency_events_per_s, p50_ms, p99_ms."
            })
    static final class CdcMySql implements Callable<Integer> {

        @Option(
                names = "--duration",
                paramLabel = "SECONDS",
                defaultValue = "30",
                description =
                        "How long the workload runs flat out to build the backlog (default:"
                                + " ${DEFAULT-VALUE})")
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
            CdcMySqlBenchmark.run(
                    new CdcMySqlBenchmark.Settings(Duration.ofSeconds(duration), rows, clients),
                    out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench snapshot-opensearch}: see {@link SnapshotOpenSearchBenchmark}. */
    @Command(
            name = "snapshot-opensearch",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Snapshot of one PostgreSQL table into OpenSearch: Siphon against a _bulk loader.",
                "Loads one table of mixed types into an embedded PostgreSQL; copies it with Siphon"
                        + " into an embedded OpenSearch node once to warm up and to take its"
                        + " documents; sends those documents (same ids, same JSON, same index"
                        + " mapping) with _bulk requests of 5 MB over P connections; then copies"
                        + " the table with a timed Siphon snapshot. Checks every document of both"
                        + " copies and the Siphon copy against the source, and prints both rates"
                        + " and their ratio.",
                "The last line is one JSON object: bench, rows, native_rows_per_s,"
                        + " siphon_rows_per_s, ratio, load_avg (at the start and the end)."
            })
    static final class SnapshotOpenSearch implements Callable<Integer> {

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "300000",
                description = "Rows in the table (default: ${DEFAULT-VALUE})")
        private long rows;

        @Option(
                names = "--parallelism",
                paramLabel = "P",
                description =
                        "Parallelism of the Siphon pipeline and connections of the loader"
                                + " (default: the number of cores)")
        private int parallelism = Runtime.getRuntime().availableProcessors();

        @Spec private CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (rows < 1 || parallelism < 1) {
                throw new ParameterException(
                        command.commandLine(), "--rows and --parallelism must be at least 1");
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            SnapshotOpenSearchBenchmark.run(rows, parallelism, out);
            return SiphonCli.EXIT_OK;
        }
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
                        + " siphon_rows_per_s, ratio; with --transforms also transforms,"
                        + " transforms_rows_per_s and transforms_ratio (with over without)."
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

        @Option(
                names = "--transforms",
                paramLabel = "OPS",
                split = ",",
                description =
                        "Also copy with these transform operators (filter, compute, mask, drop;"
                                + " the filter keeps every row) and report that rate against the"
                                + " copy without them")
        private List<String> transforms = List.of();

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
                    new SnapshotPgBenchmark.Settings(rows, parallelism, chunkRows, jfr, transforms),
                    out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench cdc-pg}: see {@link CdcPgBenchmark}. */
    @Command(
            name = "cdc-pg",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "Change data capture between two PostgreSQL servers at saturation: Siphon"
                        + " against native logical replication, each draining the same backlog.",
                "Builds a backlog with --duration seconds of a workload run flat out while the"
                        + " replicator is stopped (native: subscription disabled; Siphon: pipeline"
                        + " stopped, slots kept), then times each draining it alone until the"
                        + " target has every change and the slot has confirmed it. Then measures"
                        + " Siphon's commit-to-visible latency at half the native drain rate."
                        + " Verifies both targets.",
                "The last line is one JSON object: bench, workload, events,"
                        + " native_events_per_s, siphon_events_per_s, ratio, drain_s {native,"
                        + " siphon}, latency_events_per_s, p50_ms, p99_ms."
            })
    static final class CdcPg implements Callable<Integer> {

        @Option(
                names = "--duration",
                paramLabel = "SECONDS",
                defaultValue = "30",
                description =
                        "How long the workload runs flat out to build the backlog (default:"
                                + " ${DEFAULT-VALUE})")
        private int duration;

        @Option(
                names = "--workload",
                paramLabel = "NAME",
                defaultValue = "accounts",
                completionCandidates = Workloads.class,
                description =
                        "accounts: 5 statements a transaction on one table, 70%% update, 20%%"
                                + " insert, 10%% delete; tpcb: pgbench's TPC-B-like transaction,"
                                + " 3 updates and 1 insert on four tables (default:"
                                + " ${DEFAULT-VALUE})")
        private String workload;

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
            if (!CdcPgBenchmark.WORKLOADS.contains(workload)) {
                throw new ParameterException(
                        command.commandLine(),
                        "--workload must be one of " + String.join(", ", CdcPgBenchmark.WORKLOADS));
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            CdcPgBenchmark.run(
                    new CdcPgBenchmark.Settings(
                            Duration.ofSeconds(duration), rows, clients, workload),
                    out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** {@code siphon bench idle-pg}: see {@link IdlePgBenchmark}. */
    @Command(
            name = "idle-pg",
            mixinStandardHelpOptions = true,
            versionProvider = SiphonVersion.class,
            description = {
                "CPU used by an idle streaming pipeline, in total and by thread.",
                "Streams one table of 1,000 rows between two databases of an embedded PostgreSQL"
                        + " with nothing changing at the source; after --warmup seconds, measures"
                        + " this process's CPU time and each thread's over --measure seconds."
                        + " Then times --probes single inserts, each after --probe-idle seconds"
                        + " of idle, until the target has them, and verifies the target.",
                "The last line is one JSON object: bench, warmup_s, measure_s, process_cpu_pct"
                        + " (of one core), first_change_ms, threads (percent of one core by"
                        + " thread group)."
            })
    static final class IdlePg implements Callable<Integer> {

        @Option(
                names = "--warmup",
                paramLabel = "SECONDS",
                defaultValue = "120",
                description =
                        "How long the pipeline idles before the measurement, so that the JIT has"
                                + " settled (default: ${DEFAULT-VALUE})")
        private int warmup;

        @Option(
                names = "--measure",
                paramLabel = "SECONDS",
                defaultValue = "30",
                description = "How long the measurement lasts (default: ${DEFAULT-VALUE})")
        private int measure;

        @Option(
                names = "--checkpoint-interval",
                paramLabel = "MILLIS",
                description =
                        "The pipeline's checkpoint-interval in milliseconds (default: the"
                                + " pipeline default)")
        private Long checkpointMillis;

        @Option(
                names = "--probes",
                paramLabel = "N",
                defaultValue = "5",
                description =
                        "How many single changes are timed after the measurement, each after an"
                                + " idle spell (default: ${DEFAULT-VALUE})")
        private int probes;

        @Option(
                names = "--probe-idle",
                paramLabel = "SECONDS",
                defaultValue = "5",
                description =
                        "How long the stream idles before each timed change (default:"
                                + " ${DEFAULT-VALUE})")
        private int probeIdle;

        @Spec private CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (warmup < 0 || measure < 1 || probes < 0 || probeIdle < 0) {
                throw new ParameterException(
                        command.commandLine(),
                        "--warmup, --probes and --probe-idle must be at least 0 and --measure at"
                                + " least 1");
            }
            PrintWriter out = command.commandLine().getOut();
            Path stateDir = Files.createTempDirectory("siphon-bench-");
            LogFile.useStateDir(stateDir);
            IdlePgBenchmark.run(
                    new IdlePgBenchmark.Settings(
                            Duration.ofSeconds(warmup),
                            Duration.ofSeconds(measure),
                            checkpointMillis == null ? null : Duration.ofMillis(checkpointMillis),
                            probes,
                            Duration.ofSeconds(probeIdle)),
                    out);
            return SiphonCli.EXIT_OK;
        }
    }

    /** The names {@code --workload} takes. */
    static final class Workloads implements Iterable<String> {

        @Override
        public Iterator<String> iterator() {
            return CdcPgBenchmark.WORKLOADS.iterator();
        }
    }
}
