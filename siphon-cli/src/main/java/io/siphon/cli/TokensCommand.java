package io.siphon.cli;

import static io.siphon.cli.client.SiphonClient.segment;

import io.siphon.cli.terminal.TextTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;

/** {@code siphon tokens ...}: API tokens, for scripts and other machines. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        scope = ScopeType.INHERIT,
        description = {
            "Manages your API tokens: for scripts (SIPHON_TOKEN) and HTTP clients"
                    + " (Authorization: Bearer).",
            "siphon login creates one per machine; siphon logout deletes it."
        })
final class TokensCommand {

    @Command(name = "list", description = "Lists your tokens.")
    int list(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Option(names = "--all", description = "Every user's tokens (admin only)")
                    boolean all) {
        JsonNode tokens =
                server.get(
                        "/tokens" + (all ? "?all=true" : ""),
                        all ? "list every user's tokens" : "list tokens");
        return output.show(
                tokens,
                answer -> {
                    TextTable table =
                            TextTable.ofText(
                                    "id", "name", "user", "created", "expires", "last used");
                    for (JsonNode token : answer) {
                        table.row(
                                Cells.text(token, "id"),
                                Cells.text(token, "name"),
                                Cells.text(token, "username"),
                                Cells.time(token, "createdAt"),
                                Cells.time(token, "expiresAt"),
                                Cells.time(token, "lastUsedAt"));
                    }
                    return table.lines();
                });
    }

    @Command(
            name = "create",
            description = {
                "Creates a token and prints it.",
                "The token is shown only this once; the server keeps a hash of it."
            })
    int create(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = "What the token is for, e.g. ci")
                    String name,
            @Option(
                            names = "--expires-in-days",
                            paramLabel = "DAYS",
                            description = "How long it works (default: until deleted)")
                    Integer days) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (days != null) {
            body.put("expiresInDays", days);
        }
        JsonNode created = server.post("/tokens", body, "create tokens");
        return output.show(
                created,
                t ->
                        List.of(
                                "Created token "
                                        + Cells.text(t, "name")
                                        + " (id "
                                        + Cells.text(t, "id")
                                        + ", expires "
                                        + expiry(t)
                                        + "); it is shown only now:",
                                Cells.text(t, "token")));
    }

    /** When a token stops working: {@code never}, or a time. */
    private static String expiry(JsonNode token) {
        String at = Cells.time(token, "expiresAt");
        return at.equals(Cells.NONE) ? "never" : at;
    }

    @Command(name = "delete", description = "Deletes a token.")
    int delete(
            @Mixin ClientOptions server,
            @Parameters(paramLabel = "ID", description = "The token's id (see tokens list)")
                    String id) {
        server.delete("/tokens/" + segment(id), "delete token " + id);
        server.out().println("Deleted token " + id + ".");
        return SiphonCli.EXIT_OK;
    }
}
