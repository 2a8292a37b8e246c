package io.siphon.cli;

import io.siphon.cli.client.Credentials;
import io.siphon.cli.client.CredentialsFile;
import io.siphon.cli.client.SiphonClient;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code siphon logout}: deletes the stored token, on the server and here. */
@Command(
        name = "logout",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Signs out: deletes the stored API token on the server, then the credentials file."
        })
final class LogoutCommand implements Callable<Integer> {

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        CredentialsFile file = CredentialsFile.standard();
        Optional<Credentials> stored = file.read();
        if (stored.isEmpty()) {
            out.println("Not signed in; nothing to do.");
            return SiphonCli.EXIT_OK;
        }
        revoke(stored.get());
        file.delete();
        out.println("Signed out of " + stored.get().server() + "; the token is deleted.");
        return SiphonCli.EXIT_OK;
    }

    /**
     * Deletes a stored token on its server, with itself as the credentials; a token that expired or
     * was deleted already is fine, as it cannot be used any more either way.
     */
    static void revoke(Credentials credentials) {
        try (SiphonClient client = new SiphonClient(credentials.server(), credentials.token())) {
            client.delete(
                    "/tokens/" + SiphonClient.segment(credentials.tokenId()),
                    "delete its own token");
        } catch (SiphonException e) {
            if (e.code() != ErrorCode.UNAUTHENTICATED && e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }
}
