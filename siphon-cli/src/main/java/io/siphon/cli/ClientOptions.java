package io.siphon.cli;

import io.siphon.cli.client.Credentials;
import io.siphon.cli.client.CredentialsFile;
import io.siphon.cli.client.SiphonClient;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * What every command that talks to a Siphon server takes: {@code --server} and {@code --token}, and
 * where it prints.
 *
 * <p>The server is {@code --server}, else the one {@code siphon login} signed in to, else {@code
 * SIPHON_SERVER}, else {@value #DEFAULT_SERVER}. The token is {@code --token}, else {@code
 * SIPHON_TOKEN}, else the stored one, which is only ever sent to the server it came from.
 */
final class ClientOptions {

    /** The server when nothing names one: a {@code siphon server} on this machine. */
    static final String DEFAULT_SERVER = "http://localhost:8080";

    /** The help of every {@code --server} option. */
    static final String SERVER_HELP =
            "The server's URL. Default: the last siphon login's, else $SIPHON_SERVER, else "
                    + DEFAULT_SERVER;

    @Option(names = "--server", paramLabel = "URL", description = SERVER_HELP)
    private String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "An API token to use instead of the stored one (default: $SIPHON_TOKEN;"
                            + " the variable keeps it out of the process list)")
    private String token;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** Sends requests to the server with one client and returns the answer of the last. */
    JsonNode call(Function<SiphonClient, JsonNode> requests) {
        try (SiphonClient client = connect()) {
            return requests.apply(client);
        }
    }

    /** {@link SiphonClient#get} on a client of its own. */
    JsonNode get(String path, String action) {
        return call(c -> c.get(path, action));
    }

    /** {@link SiphonClient#post} on a client of its own. */
    JsonNode post(String path, Object body, String action) {
        return call(c -> c.post(path, body, action));
    }

    /** {@link SiphonClient#put} on a client of its own. */
    JsonNode put(String path, Object body, String action) {
        return call(c -> c.put(path, body, action));
    }

    /** {@link SiphonClient#send} on a client of its own. */
    JsonNode send(String method, String path, String body, String contentType, String action) {
        return call(c -> c.send(method, path, body, contentType, action));
    }

    /** {@link SiphonClient#delete} on a client of its own. */
    JsonNode delete(String path, String action) {
        return call(c -> c.delete(path, action));
    }

    /** A client for the server, with the token to use there (none if there is none). */
    private SiphonClient connect() {
        Optional<Credentials> stored = CredentialsFile.standard().read();
        URI url = serverUrl(server, stored);
        String chosen = token != null ? token : System.getenv("SIPHON_TOKEN");
        if (chosen == null || chosen.isBlank()) {
            chosen =
                    stored.filter(c -> c.server().equals(url)).map(Credentials::token).orElse(null);
        }
        return new SiphonClient(url, chosen);
    }

    /** The server named by an option, else the stored one, else the environment's, else local. */
    static URI serverUrl(String option, Optional<Credentials> stored) {
        if (option != null) {
            return SiphonClient.serverUrl(option);
        }
        if (stored.isPresent()) {
            return stored.get().server();
        }
        String env = System.getenv("SIPHON_SERVER");
        return SiphonClient.serverUrl(env == null || env.isBlank() ? DEFAULT_SERVER : env);
    }

    /** Standard output of the command. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }
}
