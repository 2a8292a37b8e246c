package io.siphon.cli;

import static io.siphon.cli.client.SiphonClient.segment;

import io.siphon.cli.terminal.TextTable;
import io.siphon.server.user.Role;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;

/** {@code siphon users ...}: the server's users and their roles (for admins). */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        scope = ScopeType.INHERIT,
        description = {
            "Manages the users of a Siphon server and their roles (admin only).",
            "Roles: admin (everything), operator (connections and pipelines), viewer (reads)."
        })
final class UsersCommand {

    private static final String ROLE_HELP = "admin, operator or viewer";

    @Command(name = "list", description = "Lists the users.")
    int list(@Mixin ClientOptions server, @Mixin OutputOptions output) {
        JsonNode users = server.get("/users", "list users");
        return output.show(
                users,
                answer -> {
                    TextTable table = TextTable.ofText("user", "role", "created", "updated");
                    for (JsonNode user : answer) {
                        table.row(
                                Cells.text(user, "username"),
                                Cells.text(user, "role"),
                                Cells.time(user, "createdAt"),
                                Cells.time(user, "updatedAt"));
                    }
                    return table.lines();
                });
    }

    @Command(
            name = "create",
            description = {
                "Creates a user.",
                "The password (at least 10 characters) is asked twice at the terminal, or read"
                        + " from standard input with --password-stdin."
            })
    int create(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "USER", description = "The new user's name") String user,
            @Option(
                            names = "--role",
                            paramLabel = "ROLE",
                            defaultValue = "viewer",
                            description = ROLE_HELP + " (default: ${DEFAULT-VALUE})")
                    String role,
            @Option(
                            names = "--password-stdin",
                            description = "Read the password from standard input")
                    boolean passwordStdin) {
        // Checked here, before the password is asked, with the server's own rule.
        String apiRole = Role.parse(role).apiName();
        String password = SecretInput.read(passwordStdin, null, "Password of " + user + ": ", true);
        JsonNode created =
                server.post(
                        "/users",
                        Map.of("username", user, "password", password, "role", apiRole),
                        "create users");
        return output.show(created, u -> List.of("Created user " + describe(u) + "."));
    }

    @Command(name = "set-role", description = "Gives a user another role.")
    int setRole(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(index = "0", paramLabel = "USER", description = "The user") String user,
            @Parameters(index = "1", paramLabel = "ROLE", description = ROLE_HELP) String role) {
        JsonNode changed =
                server.put(
                        "/users/" + segment(user),
                        Map.of("role", Role.parse(role).apiName()),
                        "change the role of user '" + user + "'");
        return output.show(changed, u -> List.of("Changed user " + describe(u) + "."));
    }

    @Command(
            name = "passwd",
            description = {
                "Sets a user's password.",
                "The password is asked twice at the terminal, or read from standard input with"
                        + " --password-stdin."
            })
    int passwd(
            @Mixin ClientOptions server,
            @Parameters(paramLabel = "USER", description = "The user") String user,
            @Option(
                            names = "--password-stdin",
                            description = "Read the password from standard input")
                    boolean passwordStdin) {
        String password =
                SecretInput.read(passwordStdin, null, "New password of " + user + ": ", true);
        server.put(
                "/users/" + segment(user),
                Map.of("password", password),
                "change the password of user '" + user + "'");
        server.out().println("Changed the password of " + user + ".");
        return SiphonCli.EXIT_OK;
    }

    @Command(name = "delete", description = "Deletes a user and the user's API tokens.")
    int delete(
            @Mixin ClientOptions server,
            @Parameters(paramLabel = "USER", description = "The user") String user) {
        server.delete("/users/" + segment(user), "delete user '" + user + "'");
        server.out().println("Deleted user " + user + ".");
        return SiphonCli.EXIT_OK;
    }

    /** {@code bob (viewer)}. */
    private static String describe(JsonNode user) {
        return Cells.text(user, "username") + " (" + Cells.text(user, "role") + ")";
    }
}
