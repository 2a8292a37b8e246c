package io.siphon.cli;

import io.siphon.cli.client.CredentialsFile;
import io.siphon.embedded.TempDirectories;
import io.siphon.server.ServerSettings;
import io.siphon.server.SiphonServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Siphon server for a test class (H2 metadata, a free port, the admin's password {@value
 * #ADMIN_PASSWORD}), and for each test a configuration folder of its own, so that every test starts
 * signed out:
 *
 * <pre>{@code
 * @RegisterExtension static final SiphonServerExtension SERVER = new SiphonServerExtension();
 *
 * @Test void listsUsers() { SERVER.login("admin", SiphonServerExtension.ADMIN_PASSWORD); ... }
 * }</pre>
 */
final class SiphonServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String ADMIN_PASSWORD = "admin-secret-1";

    private Path dataDir;
    private SiphonServer server;
    private Path configDir;

    @Override
    public void beforeAll(ExtensionContext context) {
        dataDir = TempDirectories.create("siphon-cli-server");
        server =
                SiphonServer.start(
                        ServerSettings.defaults(dataDir)
                                .withBindAddress("127.0.0.1")
                                .withPort(0)
                                .withAdminPassword(ADMIN_PASSWORD));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
        TempDirectories.deleteRecursively(dataDir);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        configDir = TempDirectories.create("siphon-cli-config");
        System.setProperty(CredentialsFile.CONFIG_DIR_PROPERTY, configDir.toString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.clearProperty(CredentialsFile.CONFIG_DIR_PROPERTY);
        TempDirectories.deleteRecursively(configDir);
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    String url() {
        return server.url().toString();
    }

    /** The current test's configuration folder. */
    Path configDir() {
        return configDir;
    }

    /** Signs in with {@code siphon login --password-stdin}, which must succeed. */
    void login(String user, String password) {
        CliOutcome outcome =
                CliOutcome.siphonWithInput(
                        password, "login", "--server", url(), "--user", user, "--password-stdin");
        if (outcome.exitCode() != SiphonCli.EXIT_OK) {
            throw new AssertionError("login as " + user + " failed: " + outcome);
        }
    }
}
