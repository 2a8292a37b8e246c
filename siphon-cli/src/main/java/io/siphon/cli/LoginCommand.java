package io.siphon.cli;

import io.siphon.cli.client.Credentials;
import io.siphon.cli.client.CredentialsFile;
import io.siphon.cli.client.SiphonClient;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code siphon login}: trades a username and password for an API token of the server and stores
 * it, so that the other client commands are signed in.
 */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Signs in to a Siphon server and stores an API token for the other commands.",
            "The password is asked at the terminal, or read from standard input"
                    + " (--password-stdin) or $SIPHON_PASSWORD; it is never stored. The token"
                    + " goes to credentials.json in $SIPHON_CONFIG_DIR (default ~/.siphon),"
                    + " readable only by you; signing in again replaces it."
        })
final class LoginCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", description = ClientOptions.SERVER_HELP)
    private String server;

    @Option(
            names = {"-u", "--user"},
            paramLabel = "NAME",
            defaultValue = "admin",
            description = "The user to sign in as (default: ${DEFAULT-VALUE})")
    private String user;

    @Option(
            names = "--password-stdin",
            description = "Read the password from standard input, for scripts")
    private boolean passwordStdin;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        CredentialsFile file = CredentialsFile.standard();
        Optional<Credentials> previous = file.read();
        URI url = ClientOptions.serverUrl(server, previous);
        String password =
                SecretInput.read(
                        passwordStdin,
                        "SIPHON_PASSWORD",
                        "Password of " + user + " at " + url + ": ",
                        false);
        JsonNode issued;
        try (SiphonClient client = new SiphonClient(url, null)) {
            issued =
                    client.post(
                            "/auth/token",
                            Map.of("username", user, "password", password, "name", tokenName()),
                            "sign in");
        } catch (SiphonException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                throw new SiphonException(
                        ErrorCode.UNAUTHENTICATED,
                        "wrong username or password for '" + user + "' at " + url,
                        e);
            }
            throw e;
        }
        Credentials credentials =
                new Credentials(
                        url,
                        issued.path("username").asString(),
                        issued.path("id").asString(),
                        issued.path("token").asString());
        file.write(credentials);
        // The token of an earlier login to this server would otherwise stay valid, unused.
        previous.filter(c -> c.server().equals(url)).ifPresent(LogoutCommand::revoke);
        PrintWriter out = command.commandLine().getOut();
        out.println(
                "Signed in to "
                        + url
                        + " as "
                        + credentials.username()
                        + " ("
                        + issued.path("role").asString()
                        + ").");
        out.println("Token stored in " + file.path() + "; siphon logout deletes it.");
        return SiphonCli.EXIT_OK;
    }

    /** {@code cli@<host>}: tells in {@code siphon tokens list} where a token is used. */
    private static String tokenName() {
        try {
            return "cli@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // A host without a resolvable name still gets a token, named less precisely.
            return "cli";
        }
    }
}
