package io.siphon.cli;

import io.siphon.cli.terminal.ProgressDisplay;
import io.siphon.cli.terminal.RowRates;
import io.siphon.cli.terminal.RunSummary;
import io.siphon.cli.terminal.Terminal;
import io.siphon.cli.terminal.Units;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunResult;
import io.siphon.engine.StreamProgress;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Follows a running pipeline on the terminal and reports how it ended: shared by run and demo. */
final class RunConsole {

    /** How often the progress is polled; the engine makes the snapshot cheap. */
    private RunConsole() {}

    /** Shows the run's progress until it ends, and returns the result. */
    static RunResult follow(PipelineRun run, Terminal terminal, RowRates rates, PrintWriter out) {
        return follow(run, ProgressDisplay.on(terminal, out, rates));
    }

    /** Shows the run's progress on a display until it ends, and returns the result. */
    static RunResult follow(PipelineRun run, ProgressDisplay display) {
        CompletableFuture<RunResult> result =
                CompletableFuture.supplyAsync(
                        run::await,
                        command -> Thread.ofVirtual().name("siphon-await").start(command));
        try {
            while (true) {
                try {
                    RunResult done = result.get(display.refreshMillis(), TimeUnit.MILLISECONDS);
                    display.finish(run.progress());
                    return done;
                } catch (TimeoutException stillRunning) {
                    display.update(run.progress());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.stop();
            display.finish(run.progress());
            return run.await();
        } catch (ExecutionException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "waiting for the run failed: " + e.getCause(), e);
        }
    }

    /**
     * Prints the summary and the outcome: on success the totals, on a stop how to resume, on a
     * failure the error.
     *
     * @return the exit code for the outcome
     */
    static int report(RunResult result, Ending ending, PrintWriter out, PrintWriter err) {
        out.println();
        if (!result.tables().isEmpty()) {
            RunSummary.lines(result, ending.rates()).forEach(out::println);
            out.println();
            List<String> failures = RunSummary.failures(result);
            if (!failures.isEmpty()) {
                failures.forEach(out::println);
                out.println();
            }
        }
        return outcome(result, ending, out, err);
    }

    /**
     * What the report says besides the result.
     *
     * @param rates rows earlier runs did, for the rates
     * @param stateDir where the run's state is
     * @param pipelineFile the spec file, for the commands the report suggests; null when the person
     *     did not write one (the demo)
     * @param stream where the stream was when the run ended; null for a snapshot
     */
    record Ending(RowRates rates, Path stateDir, Path pipelineFile, StreamProgress stream) {}

    /** Prints only the outcome line (or error) and returns the exit code. */
    private static int outcome(RunResult result, Ending ending, PrintWriter out, PrintWriter err) {
        Path stateDir = ending.stateDir();
        int code =
                switch (result.status()) {
                    case COMPLETED -> {
                        out.println(
                                "Completed: "
                                        + Units.plural(result.rowsWritten(), "row")
                                        + " in "
                                        + Units.plural(result.tables().size(), "table")
                                        + ", "
                                        + Units.duration(result.elapsed())
                                        + ".");
                        yield SiphonCli.EXIT_OK;
                    }
                    case STOPPED -> {
                        if (ending.stream() != null
                                && ending.stream().acknowledgedPosition() != null) {
                            out.println(
                                    "Stopped; run the same command again to resume from "
                                            + ending.stream().acknowledgedPosition()
                                            + ".");
                            yield SiphonCli.EXIT_INTERRUPTED;
                        }
                        out.println(
                                "Stopped. Finished chunks are recorded in "
                                        + stateDir
                                        + "; run the same command again to resume where it"
                                        + " stopped.");
                        yield SiphonCli.EXIT_INTERRUPTED;
                    }
                    case FAILED -> {
                        out.flush();
                        ErrorReport.print(
                                err,
                                result.error() != null
                                        ? result.error()
                                        : new SiphonException(
                                                ErrorCode.INTERNAL_ERROR,
                                                "the run failed without saying why"));
                        if (result.error() != null
                                && result.error().code() == ErrorCode.POSITION_LOST) {
                            err.println(
                                    "  fix: run `siphon run "
                                            + (ending.pipelineFile() == null
                                                    ? "<pipeline.yaml>"
                                                    : ending.pipelineFile())
                                            + " --resnapshot` to copy the tables again and"
                                            + " stream from there");
                        } else if (result.tables().stream().anyMatch(t -> t.chunksDone() > 0)) {
                            err.println(
                                    "  Finished chunks are kept in "
                                            + stateDir
                                            + "; once fixed, run the same command again to"
                                            + " resume.");
                        }
                        yield SiphonCli.EXIT_FAILED;
                    }
                };
        out.flush();
        return code;
    }
}
