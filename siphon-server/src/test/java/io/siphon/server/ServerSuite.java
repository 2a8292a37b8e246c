package io.siphon.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.model.TableId;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * A real server on a random port, two embedded PostgreSQL servers (source and target), and every
 * log line of the JVM captured: shared by the API suites, which run once per metadata store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerSuite {

    static final String ADMIN_PASSWORD = "admin-password-1";

    /** A connection password that must never appear anywhere it could be read. */
    static final String SECRET = "s3cret-Pa55word-" + Long.toHexString(System.nanoTime());

    private static final AtomicInteger NAMES = new AtomicInteger();

    Path dataDir;
    PostgresServer source;
    PostgresServer target;
    SiphonServer server;
    Http admin;
    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    private AppenderBase<ILoggingEvent> capture;

    /** The settings of the server under test, for the given data directory. */
    abstract ServerSettings settings(Path dataDir);

    @BeforeAll
    void startServers() {
        capture =
                new AppenderBase<>() {
                    @Override
                    protected void append(ILoggingEvent e) {
                        log.add(
                                e.getFormattedMessage()
                                        + " "
                                        + e.getMDCPropertyMap()
                                        + (e.getThrowableProxy() == null
                                                ? ""
                                                : ThrowableProxyUtil.asString(
                                                        e.getThrowableProxy())));
                    }
                };
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture.setContext(context);
        capture.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
        dataDir = TempDirectories.create("siphon-server-it-");
        source = PostgresServer.start();
        target = PostgresServer.start();
        startServer();
    }

    void startServer() {
        server =
                SiphonServer.start(
                        settings(dataDir)
                                .withBindAddress("127.0.0.1")
                                .withPort(0)
                                .withAdminPassword(ADMIN_PASSWORD));
        admin = Http.basic(server.url(), "admin", ADMIN_PASSWORD);
    }

    @AfterAll
    void stopServers() {
        if (server != null) {
            server.close();
        }
        target.close();
        source.close();
        Logger root =
                ((LoggerContext) LoggerFactory.getILoggerFactory())
                        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(capture);
        TempDirectories.deleteRecursively(dataDir);
    }

    /** A unique name with a prefix. */
    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** Creates a PostgreSQL connection through the API and returns its name. */
    String createConnection(PostgresServer pg, String database) {
        return createConnection(pg, database, unique("pg"));
    }

    /** Creates a PostgreSQL connection of a given name through the API and returns its name. */
    String createConnection(PostgresServer pg, String database, String name) {
        Http.Answer created =
                admin.post(
                        "/api/v1/connections",
                        Map.of(
                                "name",
                                name,
                                "type",
                                "postgres",
                                "config",
                                Map.of(
                                        "url",
                                        pg.jdbcUrl(database),
                                        "user",
                                        PostgresServer.USER,
                                        "password",
                                        SECRET)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return name;
    }

    /** Polls until a pipeline's status has a phase. */
    void awaitPhase(String pipeline, String phase) {
        Awaitility.await(pipeline + " " + phase)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(
                        () -> {
                            Http.Answer status =
                                    admin.get("/api/v1/pipelines/" + pipeline + "/status");
                            assertThat(status.json().path("phase").asString(""))
                                    .as(status.toString())
                                    .isEqualTo(phase);
                        });
    }

    /** Polls until the target tables equal the source tables. */
    void awaitEqual(String sourceDb, String targetDb, List<TableId> tables) {
        Awaitility.await("target equal to source")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            for (TableId t : tables) {
                                try (Connection from = source.connect(sourceDb);
                                        Connection to = target.connect(targetDb)) {
                                    Comparison c = TableComparator.compare(from, t, to, t);
                                    assertThat(c.equal()).as(c.toString()).isTrue();
                                }
                            }
                        });
    }
}
