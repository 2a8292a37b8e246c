package io.siphon.cli;

import static io.siphon.cli.client.SiphonClient.segment;

import io.siphon.cli.terminal.TextTable;
import io.siphon.cli.terminal.Units;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code siphon connections ...}: the databases and systems a server's pipelines read and write,
 * stored once with their credentials (encrypted on the server, never shown again).
 */
@Command(
        name = "connections",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        scope = ScopeType.INHERIT,
        description = {
            "Manages the connections of a Siphon server: where pipelines read and write.",
            "Secrets (passwords) are stored encrypted and never shown again; give them with"
                    + " --password-stdin or in a file (-f), not on the command line."
        })
final class ConnectionsCommand {

    private static final String NAME_HELP = "The connection's name";

    @Command(name = "list", description = "Lists the connections.")
    int list(@Mixin ClientOptions server, @Mixin OutputOptions output) {
        JsonNode connections = server.get("/connections", "list connections");
        return output.show(
                connections,
                answer -> {
                    TextTable table = TextTable.ofText("name", "type", "url", "updated", "by");
                    for (JsonNode connection : answer) {
                        table.row(
                                Cells.text(connection, "name"),
                                Cells.text(connection, "type"),
                                Cells.text(connection.path("config"), "url"),
                                Cells.time(connection, "updatedAt"),
                                Cells.text(connection, "createdBy"));
                    }
                    return table.lines();
                });
    }

    @Command(name = "get", description = "Shows a connection's options (secrets hidden).")
    int get(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode connection =
                server.get("/connections/" + segment(name), "read connection " + name);
        return output.show(connection, ConnectionsCommand::describe);
    }

    /**
     * {@code src (postgres), created ... by admin, updated ...}, then one line per option, secrets
     * as {@code (secret, stored)}.
     */
    private static List<String> describe(JsonNode connection) {
        List<String> lines = new ArrayList<>();
        lines.add(
                Cells.text(connection, "name")
                        + " ("
                        + Cells.text(connection, "type")
                        + "), created "
                        + Cells.time(connection, "createdAt")
                        + " by "
                        + Cells.text(connection, "createdBy")
                        + ", updated "
                        + Cells.time(connection, "updatedAt"));
        for (Map.Entry<String, JsonNode> option : connection.path("config").properties()) {
            lines.add("  " + option.getKey() + ": " + option.getValue().asString());
        }
        for (JsonNode secret : connection.path("secrets")) {
            lines.add("  " + secret.asString() + ": (secret, stored)");
        }
        return lines;
    }

    @Command(
            name = "create",
            description = {
                "Stores a connection.",
                "Options come from a file (-f), then --type, --set and --password-stdin."
            },
            footerHeading = "%nExample:%n",
            footer = {
                "  siphon connections create shop --type postgres \\",
                "      --set url=jdbc:postgresql://db1:5432/shop --set user=siphon \\",
                "      --password-stdin < shop-password.txt"
            })
    int create(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name,
            @Mixin Settings settings) {
        ObjectNode body = settings.body(null, JsonNodeFactory.instance.missingNode());
        body.put("name", name);
        JsonNode created = server.post("/connections", body, "create connections");
        return output.show(
                created,
                c ->
                        List.of(
                                "Created connection "
                                        + Cells.text(c, "name")
                                        + " ("
                                        + Cells.text(c, "type")
                                        + "); siphon connections test "
                                        + Cells.text(c, "name")
                                        + " checks it."));
    }

    @Command(
            name = "update",
            description = {
                "Changes a connection's options.",
                "Options not given keep their values, secrets included; a change of where the"
                        + " connection goes or as whom (url, user) needs its secrets again"
                        + " (--password-stdin)."
            })
    int update(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name,
            @Mixin Settings settings) {
        String path = "/connections/" + segment(name);
        JsonNode updated =
                server.call(
                        c -> {
                            JsonNode current = c.get(path, "read connection " + name);
                            ObjectNode body =
                                    settings.body(
                                            current.path("type").asString(),
                                            current.path("config"));
                            return c.put(path, body, "change connection " + name);
                        });
        return output.show(
                updated, c -> List.of("Updated connection " + Cells.text(c, "name") + "."));
    }

    @Command(
            name = "test",
            description = {
                "Checks that a connection works: reachable, credentials, privileges, settings.",
                "Prints every problem with its fix; the exit code is 1 when there is one."
            })
    int test(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name,
            @Option(
                            names = "--usage",
                            paramLabel = "USE",
                            defaultValue = "source",
                            description =
                                    "What to check it for: source (the default), cdc (a source"
                                            + " whose changes are streamed) or sink")
                    String usage) {
        JsonNode result =
                server.post(
                        "/connections/" + segment(name) + "/test?usage=" + segment(usage),
                        null,
                        "test connection " + name);
        return output.showCheck(
                result, "connection " + name, r -> List.of("OK: connection " + name + " works."));
    }

    @Command(name = "tables", description = "Lists the tables a connection can see.")
    int tables(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode tables =
                server.get(
                        "/connections/" + segment(name) + "/tables",
                        "list the tables of connection " + name);
        return output.show(
                tables,
                answer -> {
                    TextTable table = TextTable.ofText("table", "primary key", "columns");
                    for (JsonNode t : answer) {
                        List<String> key = new ArrayList<>();
                        t.path("primaryKey").forEach(k -> key.add(k.asString()));
                        table.row(
                                Cells.text(t, "schema") + "." + Cells.text(t, "name"),
                                key.isEmpty() ? Cells.NONE : String.join(", ", key),
                                Units.count(t.path("columns").size()));
                    }
                    return table.lines();
                });
    }

    @Command(
            name = "delete",
            description = "Deletes a connection; refused while a pipeline uses it.")
    int delete(
            @Mixin ClientOptions server,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        server.delete("/connections/" + segment(name), "delete connection " + name);
        server.out().println("Deleted connection " + name + ".");
        return SiphonCli.EXIT_OK;
    }

    /** The options of a connection to create or change, and where they come from. */
    static final class Settings {

        @Option(
                names = {"-f", "--file"},
                paramLabel = "FILE",
                description =
                        "A YAML or JSON file of options and the type, for example 'type:"
                                + " postgres', 'url: ...', 'user: ...', 'password: ...'")
        private Path file;

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                description = "The connector, for example postgres")
        private String type;

        @Option(
                names = "--set",
                paramLabel = "KEY=VALUE",
                description =
                        "An option, for example url=jdbc:postgresql://db1:5432/shop; repeat it"
                                + " for more. Not for secrets: others can see command lines")
        private Map<String, String> options = new LinkedHashMap<>();

        @Option(
                names = "--password-stdin",
                description = "Read the option 'password' from standard input")
        private boolean passwordStdin;

        /**
         * The request body {@code {"type", "config"}}: the current type and options, overridden by
         * the file's, then by the command line's.
         *
         * @throws SiphonException {@link ErrorCode#CONFIG_MISSING_KEY} when no type is known
         */
        ObjectNode body(String currentType, JsonNode currentConfig) {
            String chosenType = currentType;
            ObjectNode config = JsonNodeFactory.instance.objectNode();
            currentConfig.properties().forEach(e -> config.set(e.getKey(), e.getValue()));
            if (file != null) {
                for (Map.Entry<String, JsonNode> entry : SpecFiles.mapping(file).properties()) {
                    if (entry.getKey().equals("type")) {
                        chosenType = entry.getValue().asString();
                    } else {
                        config.set(entry.getKey(), entry.getValue());
                    }
                }
            }
            if (type != null) {
                chosenType = type;
            }
            options.forEach(config::put);
            if (passwordStdin) {
                config.put("password", SecretInput.read(true, null, null, false));
            }
            if (chosenType == null || chosenType.isBlank()) {
                throw new SiphonException(
                        ErrorCode.CONFIG_MISSING_KEY,
                        "the connection needs a type: pass --type postgres (or another"
                                + " connector), or write 'type: postgres' in the file");
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("type", chosenType);
            body.set("config", config);
            return body;
        }
    }
}
