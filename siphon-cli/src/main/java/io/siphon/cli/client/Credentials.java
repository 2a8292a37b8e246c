package io.siphon.cli.client;

import java.net.URI;

/**
 * What {@code siphon login} keeps so that later commands are signed in: the server, the user and
 * the API token the server issued.
 *
 * @param server the server's base URL; the token is sent to this server only
 * @param username the user the token belongs to
 * @param tokenId the token's id, so that {@code siphon logout} can delete it on the server
 * @param token the token's secret
 */
public record Credentials(URI server, String username, String tokenId, String token) {

    /** Leaves the secret out, so that it cannot end up in a log or a message. */
    @Override
    public String toString() {
        return "Credentials[server="
                + server
                + ", username="
                + username
                + ", tokenId="
                + tokenId
                + "]";
    }
}
