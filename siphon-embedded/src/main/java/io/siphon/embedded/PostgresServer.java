package io.siphon.embedded;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded PostgreSQL 17 server in a temporary folder, set up the way Siphon needs a source and
 * a target: logical replication on, synchronous commit, a non-UTC server time zone (so that tests
 * catch any shift of wall-clock values). Used by tests, the demo and the benchmarks.
 */
public final class PostgresServer implements EmbeddedServer {

    /** The superuser of the embedded server. */
    public static final String USER = "postgres";

    /** The server time zone, deliberately not UTC. */
    public static final String SERVER_TIME_ZONE = "Asia/Kolkata";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Map<String, String> settings;
    private final Path dataDir;
    private volatile EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, Map<String, String> settings) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** Starts a server with the default settings. */
    public static PostgresServer start() {
        return start(Map.of());
    }

    /**
     * Starts a server; {@code settings} are extra or overriding {@code postgresql.conf} values.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTION_FAILED} when the server cannot start
     */
    public static PostgresServer start(Map<String, String> settings) {
        Path dataDir = null;
        try {
            dataDir = Files.createTempDirectory("siphon-pg-");
            return new PostgresServer(builder(dataDir, settings, 0).start(), dataDir, settings);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not start an embedded PostgreSQL server in "
                            + dataDir
                            + ": "
                            + e.getMessage()
                            + ". Check free disk space and that the temporary folder is writable",
                    e);
        }
    }

    private static EmbeddedPostgres.Builder builder(
            Path dataDir, Map<String, String> settings, int port) {
        // The data directory is removed by close(), not by zonky, so that restart() keeps it.
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_replication_slots", "20")
                        .setServerConfig("max_wal_senders", "20")
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("timezone", SERVER_TIME_ZONE)
                        .setServerConfig("fsync", "on")
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("max_wal_size", "4GB")
                        .setServerConfig("listen_addresses", "127.0.0.1");
        if (port > 0) {
            builder.setPort(port);
        }
        settings.forEach(builder::setServerConfig);
        return builder;
    }

    /**
     * Stops the server and starts it again on the same port and data, as an operator's restart
     * would: every connection breaks, nothing committed is lost.
     */
    public void restart() {
        int port = port();
        try {
            postgres.close();
            postgres = builder(dataDir, settings, port).start();
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not restart the embedded PostgreSQL server in " + dataDir,
                    e);
        }
    }

    /** The TCP port the server listens on (loopback only). */
    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL for a database of this server. */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates a new empty database with a unique name and returns its name. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    @Override
    public String superuser() {
        return USER;
    }

    @Override
    public String product() {
        return "PostgreSQL";
    }

    /** Stops the server and removes its files. */
    @Override
    public void close() {
        try {
            postgres.close();
            TempDirectories.deleteRecursively(dataDir);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "Could not stop embedded PostgreSQL in " + dataDir,
                    e);
        }
    }
}
