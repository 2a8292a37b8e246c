package io.siphon.cli;

import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siphon drop pipeline.yaml}: removes a pipeline's change stream at the source, its state,
 * and its records of what it applied at the target, keeping the target tables. Asks nothing, so
 * scripts can call it.
 */
@Command(
        name = "drop",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Removes a pipeline: its change stream at the source (for PostgreSQL the replication"
                    + " slot and publication siphon_<pipeline>, or the configured names) and"
                    + " everything its state directory holds about it (stream position,"
                    + " snapshot chunks, status), and at the target its records of what it"
                    + " applied (for PostgreSQL its rows of siphon.applied_position and"
                    + " siphon.applied_chunk), so a new pipeline of the same name starts afresh.",
            "The target tables and their data are kept. Does not ask; stop the pipeline first.",
            "Refuses to drop a replication slot that this state directory holds no position of"
                    + " (another copy of the pipeline, run with another state directory, owns it)"
                    + " or that another process streams from; --force drops it anyway."
        })
final class DropCommand implements Callable<Integer> {

    @Mixin private PipelineOptions options;

    @Option(
            names = "--force",
            description =
                    "Drop the change stream at the source even when another copy of the"
                            + " pipeline owns it or streams from it (that copy then has to copy its"
                            + " tables again)")
    private boolean force;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PipelineGraph graph = options.loadGraph();
        try (SiphonEngine engine = SiphonEngine.start(options.stateDir)) {
            // Each flow of a graph has its own stream at its source and records at its target.
            for (PipelineGraph.Flow flow : graph.flows()) {
                PipelineSpec spec = flow.spec();
                engine.drop(spec, force);
                out.println(
                        "Dropped pipeline "
                                + spec.name()
                                + ": removed its change stream at the "
                                + spec.source().type()
                                + " source (replication slot and publication, where it had them)"
                                + " and its state in "
                                + options.stateDir
                                + " (stream position, snapshot chunks, status), and its records of"
                                + " what it applied at the "
                                + spec.sink().type()
                                + " target.");
            }
        }
        out.println("Its target tables and their data are kept.");
        out.flush();
        return SiphonCli.EXIT_OK;
    }
}
