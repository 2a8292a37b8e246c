package io.siphon.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link SiphonServer} starts.
 *
 * @param bindAddress the address the HTTP port listens on ({@code 0.0.0.0} for every interface)
 * @param port the HTTP port; 0 picks a free one
 * @param dataDir the folder for the embedded metadata store, the engine's state, the secret key
 *     file and the log
 * @param metadataUrl JDBC URL of a PostgreSQL metadata store; null keeps the metadata in an
 *     embedded H2 database under {@code dataDir}
 * @param metadataUser user of the PostgreSQL metadata store; null for H2
 * @param metadataPassword password of the PostgreSQL metadata store; null for H2
 * @param adminPassword the password of the {@code admin} user created at the first start; null
 *     creates a random one, which {@link SiphonServer#generatedAdminPassword()} tells once
 * @param secretKey base64 of the 256-bit AES key that encrypts connection secrets; null uses the
 *     key file {@code secret.key} under {@code dataDir}, created at the first start
 * @param allowHosts the hosts connections may go to: host names, IP addresses, CIDR networks; empty
 *     allows every host
 * @param forwardedHeaders whether to trust {@code X-Forwarded-*} and {@code Forwarded} headers from
 *     a TLS-terminating proxy in front of the server (client address, scheme, host; the session
 *     cookie is then marked {@code Secure} for HTTPS requests)
 */
public record ServerSettings(
        String bindAddress,
        int port,
        Path dataDir,
        String metadataUrl,
        String metadataUser,
        String metadataPassword,
        String adminPassword,
        String secretKey,
        List<String> allowHosts,
        boolean forwardedHeaders) {

    /** The default port. */
    public static final int DEFAULT_PORT = 8080;

    /** Checks the required parts. */
    public ServerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        allowHosts = allowHosts == null ? List.of() : List.copyOf(allowHosts);
    }

    /** Every interface, port 8080, metadata in H2 under {@code dataDir}. */
    public static ServerSettings defaults(Path dataDir) {
        return new ServerSettings(
                "0.0.0.0", DEFAULT_PORT, dataDir, null, null, null, null, null, List.of(), false);
    }

    /** These settings with another port (0: any free port). */
    public ServerSettings withPort(int newPort) {
        return new ServerSettings(
                bindAddress,
                newPort,
                dataDir,
                metadataUrl,
                metadataUser,
                metadataPassword,
                adminPassword,
                secretKey,
                allowHosts,
                forwardedHeaders);
    }

    /** These settings listening on another address. */
    public ServerSettings withBindAddress(String address) {
        return new ServerSettings(
                address,
                port,
                dataDir,
                metadataUrl,
                metadataUser,
                metadataPassword,
                adminPassword,
                secretKey,
                allowHosts,
                forwardedHeaders);
    }

    /** These settings with a PostgreSQL metadata store. */
    public ServerSettings withMetadata(String url, String user, String password) {
        return new ServerSettings(
                bindAddress,
                port,
                dataDir,
                url,
                user,
                password,
                adminPassword,
                secretKey,
                allowHosts,
                forwardedHeaders);
    }

    /** These settings with the first admin's password. */
    public ServerSettings withAdminPassword(String password) {
        return new ServerSettings(
                bindAddress,
                port,
                dataDir,
                metadataUrl,
                metadataUser,
                metadataPassword,
                password,
                secretKey,
                allowHosts,
                forwardedHeaders);
    }

    /** These settings with the secret key (base64 of 32 bytes). */
    public ServerSettings withSecretKey(String key) {
        return new ServerSettings(
                bindAddress,
                port,
                dataDir,
                metadataUrl,
                metadataUser,
                metadataPassword,
                adminPassword,
                key,
                allowHosts,
                forwardedHeaders);
    }

    /** These settings allowing connections only to these hosts, addresses and networks. */
    public ServerSettings withAllowHosts(List<String> hosts) {
        return new ServerSettings(
                bindAddress,
                port,
                dataDir,
                metadataUrl,
                metadataUser,
                metadataPassword,
                adminPassword,
                secretKey,
                hosts,
                forwardedHeaders);
    }

    /** These settings trusting (or not) the forwarded headers of a proxy in front. */
    public ServerSettings withForwardedHeaders(boolean trusted) {
        return new ServerSettings(
                bindAddress,
                port,
                dataDir,
                metadataUrl,
                metadataUser,
                metadataPassword,
                adminPassword,
                secretKey,
                allowHosts,
                trusted);
    }

    /** Whether the metadata lives in an external PostgreSQL database. */
    public boolean externalMetadata() {
        return metadataUrl != null;
    }

    @Override
    public String toString() {
        // Never print the passwords or the key.
        return "ServerSettings[bind="
                + bindAddress
                + ":"
                + port
                + ", dataDir="
                + dataDir
                + ", metadata="
                + (metadataUrl == null ? "embedded H2" : metadataUrl)
                + "]";
    }
}
