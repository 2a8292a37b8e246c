package io.siphon.server;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Siphon server: the REST management API, the metadata store and the engine that runs the
 * pipelines, in this JVM.
 *
 * <pre>{@code
 * try (SiphonServer server = SiphonServer.start(ServerSettings.defaults(Path.of(".siphon")))) {
 *     System.out.println("listening on " + server.url());
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p>The server leaves logging alone: whoever starts it configures Logback.
 */
public final class SiphonServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ServerSettings settings;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SiphonServer(ConfigurableApplicationContext context, ServerSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    /**
     * Starts the server and returns once it serves requests and has resumed the pipelines that were
     * running when it last stopped.
     *
     * @throws SiphonException when the data directory, the metadata store or the port cannot be
     *     used
     */
    public static SiphonServer start(ServerSettings settings) {
        // Before the metadata store loads H2, which reads its bind address once.
        io.siphon.engine.state.StateStore.listenOnLoopbackOnly();
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot create the data directory "
                            + dataDir
                            + " ("
                            + e.getClass().getSimpleName()
                            + "); choose a writable --data-dir",
                    e);
        }
        OwnerOnlyFiles.restrict(dataDir);
        // The caller owns Logback's configuration (the CLI's terminal and file appenders); Tomcat
        // logs through java.util.logging, which is sent to SLF4J too.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        ServerSettings resolved =
                new ServerSettings(
                        settings.bindAddress(),
                        settings.port(),
                        dataDir,
                        settings.metadataUrl(),
                        settings.metadataUser(),
                        settings.metadataPassword(),
                        settings.adminPassword(),
                        settings.secretKey(),
                        settings.allowHosts(),
                        settings.forwardedHeaders());
        try {
            ConfigurableApplicationContext context =
                    new SpringApplicationBuilder(ServerApplication.class)
                            .bannerMode(Banner.Mode.OFF)
                            .logStartupInfo(false)
                            // Whoever starts the server stops it (the CLI on SIGTERM, a test in
                            // its teardown): a second hook would close it twice, racing.
                            .registerShutdownHook(false)
                            .properties(properties(resolved))
                            .initializers(
                                    ctx ->
                                            ctx.getBeanFactory()
                                                    .registerSingleton("serverSettings", resolved))
                            .run();
            // The metadata and state stores made their files during the start.
            OwnerOnlyFiles.restrict(dataDir);
            return new SiphonServer(context, resolved);
        } catch (SiphonException e) {
            throw e;
        } catch (RuntimeException e) {
            throw startFailure(e, resolved);
        }
    }

    /**
     * Why the start failed, said so that whoever starts the server can act: the first {@link
     * SiphonException} in the chain, or a port in use, or a metadata store that cannot be reached.
     */
    private static SiphonException startFailure(RuntimeException e, ServerSettings settings) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SiphonException s) {
                return s;
            }
            if (t instanceof PortInUseException p) {
                return new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "port "
                                + p.getPort()
                                + " on "
                                + settings.bindAddress()
                                + " is in use by another process; stop it or choose another"
                                + " --port",
                        e);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                SiphonException metadata = metadataFailure(sql, settings, e);
                if (metadata != null) {
                    return metadata;
                }
            }
        }
        return new SiphonException(
                ErrorCode.INTERNAL_ERROR, "the server could not start: " + rootMessage(e), e);
    }

    private static SiphonException metadataFailure(
            SQLException sql, ServerSettings settings, RuntimeException e) {
        String state = sql.getSQLState();
        if (!settings.externalMetadata()) {
            // H2's "database already open": its file lock is held by another process.
            return sql.getErrorCode() == 90020
                    ? new SiphonException(
                            ErrorCode.STATE_STORE_FAILED,
                            "the metadata store in "
                                    + settings.dataDir()
                                    + " is in use by another process (a server already running"
                                    + " on this data directory?); stop it or choose another"
                                    + " --data-dir",
                            e)
                    : null;
        }
        String where = "the metadata store " + settings.metadataUrl();
        if (state.startsWith("08")) {
            return new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "cannot connect to "
                            + where
                            + ": "
                            + sql.getMessage()
                            + " Check --metadata-url and that PostgreSQL runs there.",
                    e);
        }
        if (state.startsWith("28")) {
            return new SiphonException(
                    ErrorCode.AUTH_FAILED,
                    where
                            + " refused user "
                            + settings.metadataUser()
                            + ": "
                            + sql.getMessage()
                            + "; check --metadata-user and SIPHON_METADATA_PASSWORD",
                    e);
        }
        if (state.equals("3D000")) {
            return new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    sql.getMessage() + " at " + where + "; create it, or name another database",
                    e);
        }
        return null;
    }

    private static Map<String, Object> properties(ServerSettings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.address", settings.bindAddress());
        p.put("server.port", settings.port());
        p.put("server.servlet.session.cookie.http-only", true);
        p.put("server.servlet.session.cookie.same-site", "strict");
        p.put("server.servlet.session.cookie.name", "SIPHON_SESSION");
        p.put("server.error.whitelabel.enabled", false);
        if (settings.forwardedHeaders()) {
            // Behind a TLS-terminating proxy: the client's address, scheme and host come from its
            // X-Forwarded-* headers; an HTTPS request then gets a Secure session cookie.
            p.put("server.forward-headers-strategy", "native");
        }
        p.put("server.shutdown", "graceful");
        if (settings.externalMetadata()) {
            p.put("spring.datasource.url", settings.metadataUrl());
            p.put("spring.datasource.username", nullToEmpty(settings.metadataUser()));
            p.put("spring.datasource.password", nullToEmpty(settings.metadataPassword()));
        } else {
            // WRITE_DELAY=0: a state change is on disk when the API answers, even if the
            // server is killed a moment later.
            p.put(
                    "spring.datasource.url",
                    "jdbc:h2:file:"
                            + settings.dataDir().resolve("metadata")
                            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
            p.put("spring.datasource.username", "siphon");
            p.put("spring.datasource.password", "");
        }
        p.put("spring.datasource.hikari.maximum-pool-size", 8);
        p.put("spring.datasource.hikari.pool-name", "siphon-metadata");
        p.put("spring.flyway.locations", "classpath:io/siphon/server/migration");
        p.put("spring.flyway.table", "siphon_schema_history");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        p.put("management.endpoint.health.show-details", "when-authorized");
        p.put("management.endpoint.health.show-components", "always");
        p.put("management.endpoint.health.probes.enabled", true);
        p.put("management.health.diskspace.path", settings.dataDir().toString());
        p.put("springdoc.api-docs.path", "/api/v1/openapi.json");
        p.put("springdoc.swagger-ui.path", "/api/v1/docs");
        p.put("springdoc.packages-to-scan", "io.siphon.server");
        p.put("spring.mvc.problemdetails.enabled", true);
        // The web UI has its own resource handlers (WebUi); Boot's /** to static/ would hide them.
        p.put("spring.web.resources.add-mappings", false);
        // The UI's scripts shrink to a third; Boot's default types leave event streams alone.
        p.put("server.compression.enabled", true);
        return p;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The settings the server runs with (the data directory made absolute). */
    public ServerSettings settings() {
        return settings;
    }

    /** The HTTP port the server listens on. */
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The base URL of the server, for example {@code http://localhost:8080}. */
    public URI url() {
        String host = settings.bindAddress();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "localhost";
        }
        return URI.create("http://" + host + ":" + port());
    }

    /**
     * The password of the {@code admin} user when this start created that user with a random
     * password; empty otherwise. Shown once: only its hash is stored.
     */
    public Optional<String> generatedAdminPassword() {
        return context.getBean(io.siphon.server.user.AdminBootstrap.class).generatedPassword();
    }

    /** Blocks until {@link #close()} has stopped the server (called from another thread). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops the HTTP port, then the pipelines (cleanly: they resume at the next start), then the
     * engine and the metadata store.
     */
    @Override
    public void close() {
        try {
            context.close();
        } finally {
            stopped.countDown();
        }
    }
}
