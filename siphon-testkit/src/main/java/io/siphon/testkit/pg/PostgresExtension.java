package io.siphon.testkit.pg;

import io.siphon.embedded.PostgresServer;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one embedded PostgreSQL server for a test class and stops it after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
 *
 * @Test void copiesRows() { String db = PG.server().createDatabase("src"); ... }
 * }</pre>
 *
 * Tests isolate themselves with their own databases ({@link PostgresServer#createDatabase}).
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings;
    private PostgresServer server;

    /** A server with the default settings. */
    public PostgresExtension() {
        this(Map.of());
    }

    /** A server with extra {@code postgresql.conf} settings. */
    public PostgresExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PostgresServer.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException(
                    "the PostgreSQL server runs only during the test class");
        }
        return server;
    }
}
