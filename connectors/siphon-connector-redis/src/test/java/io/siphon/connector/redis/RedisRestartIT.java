package io.siphon.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.siphon.embedded.RedisServer;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.testkit.redis.RedisExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis server restarted under a running pipeline: while it loads its append-only file it accepts
 * connections but answers every command with a {@code LOADING} error, and a writer that meets it
 * then must fail in a way the engine retries, or the pipeline would stop for good; so must a writer
 * that finds no server listening.
 */
class RedisRestartIT {

    /** Its own server: key-load-delay (microseconds per key) stretches loading to seconds. */
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension(Map.of("key-load-delay", "1000"));

    /** Keys in the append-only file: the server answers clients every 1024 while loading. */
    private static final int KEYS = 3000;

    @Test
    void aServerStillLoadingAfterARestartIsARetriableFailure() throws Exception {
        RedisServer server = REDIS.server();
        try (Connector connector = RedisUnderTest.connector(REDIS, "restart", Map.of())) {
            String before;
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                Pipeline pipeline = jedis.pipelined();
                for (int i = 0; i < KEYS; i++) {
                    pipeline.set("restart:" + i, "v");
                }
                pipeline.sync();
                before = runId(jedis);
            }
            Thread restart = Thread.ofPlatform().start(server::restart);
            List<SiphonException> failures = new ArrayList<>();
            while (!openedOnNewServer(connector, server.port(), before, failures)) {
                Thread.sleep(5);
            }
            restart.join();
            assertThat(failures)
                    .as("failures while Redis restarted")
                    .allSatisfy(f -> assertThat(f.retriable()).as(f.toString()).isTrue());
            assumeTrue(
                    failures.stream().anyMatch(f -> f.getMessage().contains("LOADING")),
                    "no writer connected while the server was loading");
        }
    }

    @Test
    void aServerNotListeningIsARetriableFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, Object> raw = Map.of("url", "redis://127.0.0.1:" + port, "key-prefix", "none");
        try (Connector connector =
                new RedisConnectorFactory()
                        .create(Config.of(raw, RedisOptions.ALL, "redis sink"))) {
            assertThatThrownBy(() -> connector.sink().openWriter().close())
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED));
        }
    }

    /**
     * Opens a writer as the engine does on a new attempt: true once it works on the restarted
     * server; a failure (Redis stopped, not listening yet, or loading) is noted.
     */
    private static boolean openedOnNewServer(
            Connector connector, int port, String oldRunId, List<SiphonException> failures) {
        try (SinkWriter writer = connector.sink().openWriter()) {
            writer.flush();
        } catch (SiphonException e) {
            failures.add(e);
            return false;
        }
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            return !runId(jedis).equals(oldRunId);
        } catch (JedisException e) {
            return false;
        }
    }

    private static String runId(Jedis jedis) {
        return jedis.info("server")
                .lines()
                .filter(l -> l.startsWith("run_id:"))
                .findFirst()
                .orElseThrow();
    }
}
