package io.siphon.embedded;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * An Apache Kafka 4 broker inside this JVM, in KRaft combined mode (one node that is broker and
 * controller), listening on loopback ports chosen at start, with its log in a temporary folder.
 * Used by tests, the demo and the benchmarks. Settings suit one node: replication factor 1 for the
 * internal topics (offsets, transactions), so transactional producers and consumer groups work.
 *
 * <p>{@link #stop()} and {@link #restart()} keep the log and the ports, so that a test can take the
 * broker away under a running pipeline and bring it back with its data; {@link #close()} stops it
 * and removes the folder.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CONTROLLER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Map<String, Object> settings;
    private final String bootstrapServers;
    private KafkaRaftServer server;

    private KafkaBroker(Path root, Map<String, Object> settings, String bootstrapServers) {
        this.root = root;
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a new log in a temporary folder and starts a broker on it. */
    public static KafkaBroker start() {
        Path root = TempDirectories.create("siphon-kafka-");
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            String logDir = root.resolve("log").toString();
            Map<String, Object> settings = new HashMap<>();
            settings.put("process.roles", "broker,controller");
            settings.put("node.id", "1");
            settings.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:"
                            + brokerPort
                            + ","
                            + CONTROLLER
                            + "://127.0.0.1:"
                            + controllerPort);
            settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            settings.put("controller.listener.names", CONTROLLER);
            settings.put(
                    "listener.security.protocol.map",
                    "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
            settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            settings.put("log.dirs", logDir);
            settings.put("num.partitions", "1");
            settings.put("offsets.topic.replication.factor", "1");
            settings.put("offsets.topic.num.partitions", "1");
            settings.put("transaction.state.log.replication.factor", "1");
            settings.put("transaction.state.log.min.isr", "1");
            settings.put("transaction.state.log.num.partitions", "1");
            settings.put("share.coordinator.state.topic.replication.factor", "1");
            settings.put("share.coordinator.state.topic.min.isr", "1");
            settings.put("group.initial.rebalance.delay.ms", "0");
            settings.put("auto.create.topics.enable", "true");
            settings.put("log.flush.interval.messages", "1");
            format(logDir);
            KafkaBroker broker =
                    new KafkaBroker(root, Map.copyOf(settings), "127.0.0.1:" + brokerPort);
            broker.startServer();
            return broker;
        } catch (RuntimeException e) {
            TempDirectories.deleteRecursively(root);
            throw e;
        }
    }

    private static void format(String logDir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName(CONTROLLER)
                    .run();
        } catch (Exception e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "Could not format the embedded Kafka log", e);
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(new KafkaConfig(settings, false), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Waits until the broker answers and has registered with its controller. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                (int) READY_TIMEOUT.toMillis()))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new SiphonException(
                                ErrorCode.CONNECTION_FAILED,
                                "The embedded Kafka broker did not come up within "
                                        + READY_TIMEOUT.toSeconds()
                                        + " s",
                                e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "Interrupted waiting for the embedded Kafka broker",
                    e);
        }
    }

    /** {@code host:port} of the broker's listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The folder that holds the broker's log; gone after {@link #close()}. */
    Path root() {
        return root;
    }

    /** Whether the broker is running (not {@link #stop() stopped}). */
    public boolean running() {
        return server != null;
    }

    /** Stops the broker and keeps its log; {@link #restart()} brings it back on the same port. */
    public void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts a stopped broker again on its log and ports. */
    public void restart() {
        if (server != null) {
            throw new IllegalStateException("the Kafka broker is running");
        }
        startServer();
    }

    /** Stops the broker and removes its log. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            TempDirectories.deleteRecursively(root);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
