package io.siphon.cli;

import io.siphon.cli.client.JsonMappers;
import io.siphon.cli.terminal.ProgressView;
import io.siphon.cli.terminal.Units;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StatusFile;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableProgress;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code siphon status}: the last known progress of the pipelines of a state directory, from the
 * status files a running engine keeps current every second; it never opens the state database,
 * which a running pipeline holds.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Shows the pipelines of a state directory: phase, whether they are live, tables,"
                    + " stream positions, events/s, latency and the last error.",
            "Reads the status files a running `siphon run` keeps current every second, so it works"
                    + " while pipelines run, from another terminal."
        })
final class StatusCommand implements Callable<Integer> {

    /** A status younger than this, written by a process that still lives, is live. */
    static final Duration LIVE = Duration.ofSeconds(3);

    @Parameters(
            paramLabel = "PIPELINE",
            arity = "0..1",
            description = "The pipeline's name (default: every pipeline of the state directory)")
    private String pipeline;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = ".siphon",
            description = "The state directory the pipelines run with (default: ${DEFAULT-VALUE})")
    private Path stateDir;

    @Option(
            names = "--json",
            description =
                    "Print the status as JSON, as the engine wrote it: one object per line, one"
                            + " line per pipeline")
    private boolean json;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        List<StatusFile.Status> statuses;
        if (pipeline == null) {
            statuses = StatusFile.readAll(stateDir);
            if (statuses.isEmpty() && !json) {
                out.println("No pipeline has run with state directory " + stateDir + ".");
            }
        } else {
            statuses =
                    List.of(
                            StatusFile.read(stateDir, pipeline)
                                    .orElseThrow(
                                            () ->
                                                    new SiphonException(
                                                            ErrorCode.CONFIG_INVALID_VALUE,
                                                            "pipeline "
                                                                    + pipeline
                                                                    + " has no status in "
                                                                    + stateDir
                                                                    + "; it has not run with this"
                                                                    + " state directory (pass the"
                                                                    + " one it runs with as"
                                                                    + " --state-dir)")));
        }
        Instant now = Instant.now();
        boolean first = true;
        for (StatusFile.Status status : statuses) {
            if (json) {
                out.println(JsonMappers.compact().writeValueAsString(status));
                continue;
            }
            if (!first) {
                out.println();
            }
            first = false;
            lines(status, now).forEach(out::println);
        }
        out.flush();
        return SiphonCli.EXIT_OK;
    }

    /** The status of one pipeline, as text lines. */
    static List<String> lines(StatusFile.Status status, Instant now) {
        RunProgress p = status.progress();
        List<String> lines = new ArrayList<>();
        lines.add(
                p.pipeline()
                        + "  "
                        + p.phase().name().toLowerCase(Locale.ROOT)
                        + "  "
                        + age(status, now)
                        + "  (run time "
                        + Units.duration(p.elapsed())
                        + ", pid "
                        + status.processId()
                        + ")");
        lines.addAll(progressLines(p));
        if (status.error() != null) {
            lines.add("  last error: " + status.error());
        }
        return lines;
    }

    /**
     * The lines under a pipeline's headline: one per table (rows, chunks, changes), then where the
     * change stream is and how fast and late it is.
     */
    static List<String> progressLines(RunProgress p) {
        List<String> lines = new ArrayList<>();
        for (TableProgress t : p.tables()) {
            if (t.failed()) {
                lines.add("  " + ProgressView.name(t) + "  " + ProgressView.failure(t));
                lines.add("    " + t.error().message());
                continue;
            }
            String line =
                    "  "
                            + t.source()
                            + (t.source().equals(t.target()) ? "" : " -> " + t.target())
                            + "  "
                            + Units.count(t.rowsWritten())
                            + " rows  chunks "
                            + t.chunksDone()
                            + "/"
                            + t.chunksTotal();
            if (!t.events().isEmpty()) {
                line += "  changes: " + ProgressView.changes(t.events());
            }
            if (t.resnapshot() != null) {
                line += "  " + ProgressView.resnapshot(t.resnapshot());
            }
            lines.add(line);
        }
        StreamProgress s = p.stream();
        if (s != null) {
            lines.add(
                    "  stream: read "
                            + orDash(s.sourcePosition())
                            + ", acknowledged "
                            + orDash(s.acknowledgedPosition())
                            + ", backlog "
                            + (s.backlogBytes() < 0 ? "unknown" : Units.bytes(s.backlogBytes())));
            lines.add(
                    "  "
                            + Units.count(Math.round(s.eventsPerSecond()))
                            + " events/s, latency "
                            + (s.latencyP50Millis() < 0
                                    ? "-"
                                    : "p50 "
                                            + Units.count(s.latencyP50Millis())
                                            + " ms, p99 "
                                            + Units.count(s.latencyP99Millis())
                                            + " ms"));
        }
        return lines;
    }

    /**
     * {@code live} while a run that has not ended rewrites the file, else {@code last seen 5m 02s
     * ago}: a status of a process that died mid-run is not live, however young.
     */
    static String age(StatusFile.Status status, Instant now) {
        Duration age = Duration.between(status.writtenAt(), now);
        boolean ended =
                switch (status.progress().phase()) {
                    case COMPLETED, STOPPED, FAILED -> true;
                    case STARTING, CHECKING, PLANNING, SNAPSHOTTING, STREAMING -> false;
                };
        boolean alive = ProcessHandle.of(status.processId()).isPresent();
        if (!ended && alive && age.compareTo(LIVE) < 0) {
            return "live";
        }
        return "last seen "
                + Units.duration(age.isNegative() ? Duration.ZERO : age)
                + " ago"
                + (!ended && !alive ? " (its process is gone)" : "");
    }

    private static String orDash(String position) {
        return position == null ? "-" : position;
    }
}
