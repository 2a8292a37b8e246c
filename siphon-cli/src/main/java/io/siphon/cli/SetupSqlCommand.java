package io.siphon.cli;

import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code siphon setup-sql pipeline.yaml}: prints what a DBA runs so that the pipeline needs no
 * superuser. Writes nothing and keeps no state, so it takes no {@code --state-dir}.
 */
@Command(
        name = "setup-sql",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Prints the SQL that sets up a pipeline's source and target without a superuser:"
                    + " the login role, its grants, the publication of the streamed tables"
                    + " (owned by the tables' owner) and a replica identity for tables without a"
                    + " primary key.",
            "Lists the tables by name when the pipeline's user can see them already, else grants"
                    + " by the pipeline's patterns. Changes nothing: review it, then run it as a"
                    + " superuser or the tables' owner (psql -f)."
        })
final class SetupSqlCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PIPELINE", description = "The pipeline spec, a YAML file")
    private Path pipeline;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PipelineSpec spec = PipelineSpecParser.withInstalledConnectors().parse(pipeline);
        List<String> script = SiphonEngine.setupScript(spec);
        if (script.isEmpty()) {
            out.println(
                    "-- Neither "
                            + spec.source().type()
                            + " nor "
                            + spec.sink().type()
                            + " needs anything set up for pipeline "
                            + spec.name()
                            + ".");
        }
        script.forEach(out::println);
        out.flush();
        return SiphonCli.EXIT_OK;
    }
}
