package io.siphon.bench;

import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Recording;

/**
 * Snapshot of one MySQL-family table into another server, Siphon against {@code mysqldump | mysql}
 * (MariaDB's {@code mariadb-dump | mariadb}, the programs that come with the embedded server), on
 * the same rows in one run:
 *
 * <ol>
 *   <li>a source MariaDB gets one table of mixed types with N rows, the MySQL twin of the
 *       PostgreSQL benchmark's table;
 *   <li>native: {@code mariadb-dump --single-transaction} of the table piped into {@code mariadb}
 *       connected to an empty database of a second MariaDB, timed from the start of the dump to the
 *       end of the load (the dump's defaults: multi-row inserts, keys disabled during the load);
 *   <li>Siphon: a snapshot pipeline (MySQL source, MySQL sink) into another empty database of the
 *       same second server, timed from the run's start to COMPLETED;
 *   <li>both copies must equal the source by the portable comparison; a difference fails the run.
 * </ol>
 *
 * Both targets have the binary log on, as the embedded servers do, so both pay for it.
 *
 * <p>The last line printed is one JSON object: bench, rows, native_rows_per_s, siphon_rows_per_s,
 * ratio.
 */
public final class SnapshotMySqlBenchmark {

    private static final String SOURCE_DB = "bench_source";
    private static final String NATIVE_DB = "native_copy";
    private static final String SIPHON_DB = "siphon_copy";
    private static final String TABLE = "bench_rows";

    private static final String DDL =
            """
            CREATE TABLE bench_rows (
                id BIGINT PRIMARY KEY,
                quantity INT NOT NULL,
                price DECIMAL(12,2) NOT NULL,
                score DOUBLE,
                description TEXT,
                code VARCHAR(16) NOT NULL,
                created_at TIMESTAMP(6) NOT NULL,
                day DATE NOT NULL,
                active BOOLEAN NOT NULL,
                ref CHAR(36) NOT NULL,
                attributes JSON NOT NULL)""";

    /**
     * What to run.
     *
     * @param rows rows in the table
     * @param parallelism the pipeline's parallelism, 0 for the engine's
     * @param chunkRows rows per snapshot chunk, 0 for the engine's
     * @param jfr where to write a JFR recording of the Siphon phase, or null for none
     */
    public record Settings(long rows, int parallelism, int chunkRows, Path jfr) {}

    private SnapshotMySqlBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @throws SiphonException when a copy fails or differs from the source
     */
    public static String run(Settings settings, PrintWriter out) {
        long rows = settings.rows();
        out.printf(
                Locale.ROOT,
                "snapshot-mysql: %,d rows, MariaDB 11.4 -> MariaDB 11.4, both embedded on this"
                        + " machine (%d cores)%n",
                rows,
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (MariaDbServer source = MariaDbServer.start();
                MariaDbServer target = MariaDbServer.start()) {
            source.execute("mysql", "CREATE DATABASE " + SOURCE_DB);
            fill(source, rows);
            target.execute("mysql", "CREATE DATABASE " + NATIVE_DB, "CREATE DATABASE " + SIPHON_DB);
            Duration nativeTime = dumpAndLoad(source, target);
            SinkBenchmarks.printRate(out, "native mariadb-dump | mariadb", rows, nativeTime);
            Duration siphonTime = siphonCopy(source, target, settings, out);
            SinkBenchmarks.printRate(out, "siphon snapshot", rows, siphonTime);
            verify(source, target, NATIVE_DB);
            verify(source, target, SIPHON_DB);
            out.printf(Locale.ROOT, "verified: both copies equal the source (%,d rows)%n", rows);
            double ratio = (double) nativeTime.toNanos() / siphonTime.toNanos();
            out.printf(Locale.ROOT, "ratio siphon/native: %.2f%n", ratio);
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"bench\":\"snapshot-mysql\",\"rows\":%d,\"native_rows_per_s\":%d,"
                                    + "\"siphon_rows_per_s\":%d,\"ratio\":%.3f}",
                            rows,
                            SinkBenchmarks.perSecond(rows, nativeTime),
                            SinkBenchmarks.perSecond(rows, siphonTime),
                            ratio);
            out.println(json);
            out.flush();
            return json;
        }
    }

    /**
     * Creates the table and fills it with rows {@code 1..rows} from MariaDB's sequence engine, in
     * parallel slices, then {@code ANALYZE TABLE}.
     */
    private static void fill(MariaDbServer server, long rows) {
        server.execute(SOURCE_DB, DDL);
        BenchTable.inSlices(rows, (from, to) -> server.execute(SOURCE_DB, insert(from, to)));
        server.execute(SOURCE_DB, "ANALYZE TABLE " + TABLE);
    }

    private static String insert(long from, long to) {
        return """
                INSERT INTO bench_rows
                SELECT seq,
                       seq % 1000,
                       (seq % 1000000) / 100 + 0.99,
                       IF(seq % 11 = 0, NULL, seq / 7e0),
                       IF(seq % 17 = 0, NULL, CONCAT(MD5(seq), ' ', LEFT(MD5(seq + 1), 7))),
                       CONCAT('C-', seq % 99991),
                       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND,
                       DATE '2000-01-01' + INTERVAL (seq % 9000) DAY,
                       seq % 3 = 0,
                       INSERT(INSERT(INSERT(INSERT(MD5(CONCAT('ref', seq)), 21, 0, '-'),
                              17, 0, '-'), 13, 0, '-'), 9, 0, '-'),
                       JSON_OBJECT('k', seq % 10, 'tag', CONCAT('t', seq % 7), 'on', seq % 2 = 0)
                FROM seq_{from}_to_{to}"""
                .replace("{from}", Long.toString(from))
                .replace("{to}", Long.toString(to));
    }

    /**
     * {@code mariadb-dump} of the table piped into {@code mariadb}, as an operator would run it.
     */
    private static Duration dumpAndLoad(MariaDbServer source, MariaDbServer target) {
        List<String> dump =
                List.of(
                        source.program("mariadb-dump").toString(),
                        "--no-defaults",
                        "--host=127.0.0.1",
                        "--port=" + source.port(),
                        "--user=" + MariaDbServer.USER,
                        "--single-transaction",
                        SOURCE_DB,
                        TABLE);
        List<String> load =
                List.of(
                        target.program("mariadb").toString(),
                        "--no-defaults",
                        "--host=127.0.0.1",
                        "--port=" + target.port(),
                        "--user=" + MariaDbServer.USER,
                        NATIVE_DB);
        try {
            long t0 = System.nanoTime();
            List<Process> pipe =
                    ProcessBuilder.startPipeline(
                            List.of(
                                    new ProcessBuilder(dump)
                                            .redirectError(ProcessBuilder.Redirect.PIPE),
                                    new ProcessBuilder(load)
                                            .redirectError(ProcessBuilder.Redirect.PIPE)));
            for (Process p : pipe) {
                String errors =
                        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new SiphonException(
                            ErrorCode.INTERNAL_ERROR,
                            "the native copy failed ("
                                    + p.info().command().orElse("?")
                                    + "): "
                                    + errors.strip());
                }
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "cannot run mariadb-dump | mariadb: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        }
    }

    private static Duration siphonCopy(
            MariaDbServer source, MariaDbServer target, Settings settings, PrintWriter out) {
        StringBuilder yaml =
                new StringBuilder(
                        """
                        name: bench-snapshot-mysql
                        source:
                          type: mysql
                          url: %s
                          user: %s
                          tables: [%s.%s]
                        sink:
                          type: mysql
                          url: %s
                          user: %s
                          table: "%s.{table}"
                        mode: snapshot
                        """
                                .formatted(
                                        source.jdbcUrl(SOURCE_DB),
                                        MariaDbServer.USER,
                                        SOURCE_DB,
                                        TABLE,
                                        target.jdbcUrl(SIPHON_DB),
                                        MariaDbServer.USER,
                                        SIPHON_DB));
        if (settings.parallelism() > 0) {
            yaml.append("parallelism: ").append(settings.parallelism()).append('\n');
        }
        if (settings.chunkRows() > 0) {
            yaml.append("chunk-rows: ").append(settings.chunkRows()).append('\n');
        }
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(yaml.toString(), "bench-snapshot-mysql");
        Path stateDir = TempDirectories.create("siphon-bench-state-");
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            Recording recording =
                    settings.jfr() == null
                            ? null
                            : SnapshotPgBenchmark.startRecording(settings.jfr());
            long t0 = System.nanoTime();
            RunResult result = engine.start(spec).await();
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
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
            return time;
        } finally {
            TempDirectories.deleteRecursively(stateDir);
        }
    }

    private static void verify(MariaDbServer source, MariaDbServer target, String database) {
        try (Connection from = source.connect(SOURCE_DB);
                Connection to = target.connect(database)) {
            Comparison c =
                    TableComparator.compare(
                            from, TableId.of(SOURCE_DB, TABLE), to, TableId.of(database, TABLE));
            if (!c.equal()) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "the copy in " + database + " differs from the source: " + c);
            }
        } catch (SQLException e) {
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "verify: " + e.getMessage(), e);
        }
    }
}
