package io.siphon.cli;

import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What every command on a pipeline takes: the spec file and {@code --state-dir}, where the command
 * keeps its state (finished chunks, offsets) and its log.
 */
final class PipelineOptions {

    @Parameters(paramLabel = "PIPELINE", description = "The pipeline spec, a YAML file")
    Path pipeline;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = ".siphon",
            description =
                    "Folder for the run's state (finished chunks, so a rerun resumes) and its log,"
                            + " siphon.log (default: ${DEFAULT-VALUE})")
    Path stateDir;

    /**
     * Sends the log to the state directory, then parses the spec: a spec error is then in the log
     * too.
     */
    PipelineSpec load() {
        LogFile.useStateDir(stateDir);
        return PipelineSpecParser.withInstalledConnectors().parse(pipeline);
    }

    /** As {@link #load()}, for a command that takes a graph of several flows too. */
    PipelineGraph loadGraph() {
        LogFile.useStateDir(stateDir);
        return PipelineSpecParser.withInstalledConnectors().parseGraph(pipeline);
    }
}
