package io.siphon.testkit.mariadb;

import io.siphon.embedded.MariaDbServer;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one embedded MariaDB server for a test class and stops it after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();
 *
 * @Test void copiesRows() { String db = MARIADB.server().createDatabase("src"); ... }
 * }</pre>
 *
 * Tests isolate themselves with their own databases ({@link MariaDbServer#createDatabase}).
 */
public final class MariaDbExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings;
    private MariaDbServer server;

    /** A server with the default settings. */
    public MariaDbExtension() {
        this(Map.of());
    }

    /** A server with extra or overriding server options ({@code my.cnf} names and values). */
    public MariaDbExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MariaDbServer.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public MariaDbServer server() {
        if (server == null) {
            throw new IllegalStateException("the MariaDB server runs only during the test class");
        }
        return server;
    }
}
