package io.siphon.cli;

import io.siphon.cli.terminal.JsonProgress;
import io.siphon.cli.terminal.RowRates;
import io.siphon.cli.terminal.Terminal;
import io.siphon.engine.GraphRun;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunResult;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.Mode;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.state.ChunkRecord;
import io.siphon.engine.state.ChunkStatus;
import io.siphon.engine.state.StateStore;
import io.siphon.model.TableId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siphon run pipeline.yaml}: runs a pipeline with live progress, to the end of its snapshot,
 * or, when it streams changes, until Ctrl-C.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Runs a pipeline: copies its tables with live progress, then prints a summary.",
            "With mode cdc or snapshot+cdc it then streams changes until Ctrl-C, showing"
                    + " events/s, changes per table, stream positions, backlog and latency.",
            "Ctrl-C stops cleanly; running the same command again resumes, reading only the"
                    + " chunks that were not finished, or streaming from the acknowledged"
                    + " position."
        })
final class RunCommand implements Callable<Integer> {

    @Mixin private PipelineOptions options;

    @Option(
            names = "--resnapshot",
            description =
                    "Copy the tables again from scratch before streaming: drops the pipeline's"
                            + " replication slot, forgets its stream position and unfinished"
                            + " snapshot, and empties its target tables. For when the stream"
                            + " position was lost (POSITION_LOST) or the targets must be rebuilt.")
    private boolean resnapshot;

    @Option(
            names = "--json",
            description =
                    "Print JSON lines for scripts instead of the progress display: a"
                            + " {\"event\":\"progress\"} object a second and an"
                            + " {\"event\":\"ended\"} object at the end, in the shape of"
                            + " `siphon status --json`")
    private boolean json;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        PipelineGraph graph = options.loadGraph();
        if (!graph.single()) {
            return runGraph(graph, out, err);
        }
        PipelineSpec spec = graph.only("run");
        Path stateDir = options.stateDir;
        if (!json) {
            out.println(PipelineHeadline.of(spec));
            out.println("State and log: " + stateDir + " (" + LogFile.NAME + ")");
            out.flush();
        }
        try (Interruption interruption = Interruption.install();
                SiphonEngine engine = SiphonEngine.start(stateDir)) {
            if (resnapshot && !json) {
                out.println(
                        spec.mode() == Mode.SNAPSHOT
                                ? "Resnapshot: forgetting the unfinished snapshot of "
                                        + spec.name()
                                        + " and emptying its target tables; then copying them"
                                        + " again."
                                : "Resnapshot: dropping the stream of "
                                        + spec.name()
                                        + " at the source (replication slot), forgetting its"
                                        + " stream position and unfinished snapshot, and emptying"
                                        + " its target tables; then copying them again.");
                out.flush();
            }
            if (resnapshot) {
                engine.resnapshot(spec);
            }
            RowRates rates = new RowRates(rowsDoneBefore(engine.state(), spec.name()));
            PipelineRun run = engine.start(spec);
            interruption.onInterrupt(run::stop);
            if (json) {
                RunResult result = RunConsole.follow(run, new JsonProgress(out));
                JsonLines.result(out, result);
                return switch (result.status()) {
                    case COMPLETED -> SiphonCli.EXIT_OK;
                    case STOPPED -> SiphonCli.EXIT_INTERRUPTED;
                    case FAILED -> SiphonCli.EXIT_FAILED;
                };
            }
            RunResult result = RunConsole.follow(run, Terminal.detect(), rates, out);
            return RunConsole.report(
                    result,
                    new RunConsole.Ending(
                            rates, stateDir, options.pipeline, run.progress().stream()),
                    out,
                    err);
        }
    }

    /**
     * Runs a graph of several flows (a union, a fan-out): every flow at once, each with its own
     * position and state, until each has ended; prints each flow's summary, or with {@code --json}
     * the progress and end lines of each flow (their {@code pipeline} names the flow).
     */
    private int runGraph(PipelineGraph graph, PrintWriter out, PrintWriter err) {
        Path stateDir = options.stateDir;
        if (!json) {
            out.println(
                    "Pipeline "
                            + graph.name()
                            + ": "
                            + graph.flows().size()
                            + " flows, "
                            + graph.flows().get(0).spec().mode().text());
            for (PipelineGraph.Flow flow : graph.flows()) {
                out.println("  " + flow.spec().name() + ": " + String.join(" -> ", flow.path()));
            }
            out.println("State and log: " + stateDir + " (" + LogFile.NAME + ")");
            out.flush();
        }
        try (Interruption interruption = Interruption.install();
                SiphonEngine engine = SiphonEngine.start(stateDir)) {
            if (resnapshot) {
                graph.flows().forEach(f -> engine.resnapshot(f.spec()));
            }
            GraphRun run = engine.start(graph);
            interruption.onInterrupt(run::stop);
            List<RunResult> results;
            if (json) {
                List<java.util.concurrent.CompletableFuture<RunResult>> followed =
                        run.runs().stream()
                                .map(
                                        r ->
                                                java.util.concurrent.CompletableFuture.supplyAsync(
                                                        () ->
                                                                RunConsole.follow(
                                                                        r, new JsonProgress(out)),
                                                        command ->
                                                                Thread.ofVirtual()
                                                                        .name("siphon-follow")
                                                                        .start(command)))
                                .toList();
                results =
                        followed.stream()
                                .map(java.util.concurrent.CompletableFuture::join)
                                .toList();
                results.forEach(r -> JsonLines.result(out, r));
            } else {
                results = run.await();
            }
            int code = SiphonCli.EXIT_OK;
            for (int i = 0; i < results.size(); i++) {
                RunResult result = results.get(i);
                int flowCode =
                        switch (result.status()) {
                            case COMPLETED -> SiphonCli.EXIT_OK;
                            case STOPPED -> SiphonCli.EXIT_INTERRUPTED;
                            case FAILED -> SiphonCli.EXIT_FAILED;
                        };
                if (!json) {
                    out.println();
                    out.println("Flow " + result.pipeline() + ":");
                    RunConsole.report(
                            result,
                            new RunConsole.Ending(
                                    new RowRates(Map.of()),
                                    stateDir,
                                    options.pipeline,
                                    run.runs().get(i).progress().stream()),
                            out,
                            err);
                }
                // A failed flow decides the exit code over a stopped one.
                if (code != SiphonCli.EXIT_FAILED && flowCode != SiphonCli.EXIT_OK) {
                    code = flowCode;
                }
            }
            return code;
        }
    }

    /**
     * Rows per table in the chunks that earlier runs of an unfinished snapshot finished: what this
     * run resumes from, and so not part of its rate.
     */
    private static Map<TableId, Long> rowsDoneBefore(StateStore state, String pipeline) {
        return state.unfinishedSnapshot(pipeline)
                .map(
                        snapshot ->
                                state.chunks(pipeline, snapshot).stream()
                                        .filter(c -> c.status() == ChunkStatus.DONE)
                                        .collect(
                                                Collectors.groupingBy(
                                                        ChunkRecord::table,
                                                        Collectors.summingLong(
                                                                ChunkRecord::rowsWritten))))
                .orElse(Map.of());
    }
}
