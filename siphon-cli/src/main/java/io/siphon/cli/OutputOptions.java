package io.siphon.cli;

import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a client command shows the server's answer: as text for people, or with {@code --json} as the
 * server's JSON itself, indented, for scripts.
 */
final class OutputOptions {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Option(names = "--json", description = "Print the server's answer as JSON, for scripts")
    private boolean json;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** Prints the answer: its JSON with {@code --json}, else the lines {@code text} makes of it. */
    int show(JsonNode answer, Function<JsonNode, List<String>> text) {
        if (json) {
            command.commandLine().getOut().println(JSON.writeValueAsString(answer));
        } else {
            text.apply(answer).forEach(command.commandLine().getOut()::println);
        }
        return SiphonCli.EXIT_OK;
    }
}
