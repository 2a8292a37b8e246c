package io.siphon.cli;

import io.siphon.engine.TableResnapshotRequest;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siphon resnapshot pipeline.yaml --table T}: asks a streaming pipeline to copy tables again
 * while it streams on. Files the request in the state directory (without opening its database,
 * which a running pipeline holds) and returns; the running {@code siphon run} of the pipeline
 * (another process) picks it up within a second, or its next run does. A table already being copied
 * is not copied twice.
 */
@Command(
        name = "resnapshot",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Copies tables of a streaming pipeline again while it streams: the target table is"
                    + " emptied and refilled in chunks read between watermarks in the change"
                    + " stream, so no change is lost or applied twice, and the other tables keep"
                    + " streaming.",
            "Works while `siphon run` of the pipeline runs (it picks the request up within a"
                    + " second) or before its next run; `siphon status` shows the progress."
        })
final class ResnapshotCommand implements Callable<Integer> {

    @Mixin private PipelineOptions options;

    @Option(
            names = "--table",
            paramLabel = "TABLE",
            required = true,
            description = "A table to copy again, as schema.table; repeat for more tables")
    private List<String> tables;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        // The running pipeline writes the log file of the state directory: this short command
        // keeps to the terminal.
        PipelineSpec spec = PipelineSpecParser.withInstalledConnectors().parse(options.pipeline);
        for (TableId table : TableResnapshotRequest.file(options.stateDir, spec, tables)) {
            out.println("Re-snapshot of " + table + " requested in pipeline " + spec.name());
        }
        out.println(
                "A running `siphon run` of "
                        + spec.name()
                        + " starts it within a second, otherwise its next run does; `siphon"
                        + " status --state-dir "
                        + options.stateDir
                        + "` shows its progress.");
        out.flush();
        return SiphonCli.EXIT_OK;
    }
}
