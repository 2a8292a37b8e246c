package io.siphon.cli;

import io.siphon.cli.client.JsonMappers;
import io.siphon.cli.client.SiphonClient;
import io.siphon.cli.terminal.Units;
import io.siphon.spi.Problem;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * How a client command shows the server's answer: as text for people, or with {@code --json} as the
 * server's JSON itself, indented, for scripts.
 */
final class OutputOptions {

    @Option(names = "--json", description = "Print the server's answer as JSON, for scripts")
    private boolean json;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** Prints the answer: its JSON with {@code --json}, else the lines {@code text} makes of it. */
    int show(JsonNode answer, Function<JsonNode, List<String>> text) {
        if (json) {
            command.commandLine()
                    .getOut()
                    .println(JsonMappers.indented().writeValueAsString(answer));
        } else {
            text.apply(answer).forEach(command.commandLine().getOut()::println);
        }
        return SiphonCli.EXIT_OK;
    }

    /**
     * Prints the answer of a check, {@code {"ok": false, "problems": [{"code", "message",
     * "fix"}]}}: its JSON with {@code --json}, else the lines {@code ok} makes of it when it
     * passed, else each problem with its fix on standard error.
     *
     * @param subject what was checked, for example {@code connection shop}
     * @return {@link SiphonCli#EXIT_OK} when the check passed, else {@link SiphonCli#EXIT_FAILED}
     */
    int showCheck(JsonNode answer, String subject, Function<JsonNode, List<String>> ok) {
        boolean passed = answer.path("ok").asBoolean();
        if (json || passed) {
            show(answer, ok);
        } else {
            PrintWriter err = command.commandLine().getErr();
            JsonNode problems = answer.path("problems");
            for (JsonNode problem : problems) {
                ErrorReport.print(
                        err,
                        new Problem(
                                SiphonClient.errorCode(problem.path("code").asString()),
                                problem.path("message").asString(),
                                problem.path("fix").asString()));
            }
            err.println(Units.plural(problems.size(), "problem") + " with " + subject);
        }
        return passed ? SiphonCli.EXIT_OK : SiphonCli.EXIT_FAILED;
    }
}
