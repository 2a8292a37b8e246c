package io.siphon.engine.state;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.h2.tools.Server;

/**
 * Shares one state file between processes. The first process to open {@code state.mv.db} serves it
 * to the others over H2's TCP protocol, on a loopback port that asks for a random key; port, key
 * and process id are in {@code state.server} next to the file. A later process (validate, drop or a
 * re-snapshot request while a pipeline runs) connects through it; when the serving process has
 * ended, the next one opens the file itself and serves it in turn.
 *
 * <p>Why not H2's own automatic mixed mode: it cannot be combined with {@code
 * DB_CLOSE_ON_EXIT=FALSE}, which a stopping run needs (H2's shutdown hook would close the file
 * while the run still records its last chunks), and its server accepts connections from other
 * hosts. Why not opening the file for each short transaction: a running pipeline writes every
 * second, and every other command would then have to fight it for the file lock.
 */
final class StateServer implements AutoCloseable {

    static {
        StateStore.listenOnLoopbackOnly();
    }

    private static final String FILE = "state.server";

    /** How long to wait for a process that has opened the file to publish its server. */
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(15);

    private static final Duration RETRY = Duration.ofMillis(100);

    private final Server server;
    private final Path file;

    private StateServer(Server server, Path file) {
        this.server = server;
        this.file = file;
    }

    /**
     * A connection to the store in a directory, and the server this process started for it (null
     * when another process, or another store of this process, serves it).
     */
    record Opened(Connection connection, StateServer server) {}

    /**
     * Connects through the process serving the store, or opens the file (with {@code settings}) and
     * serves it.
     */
    static Opened open(Path dir, String settings) throws SQLException {
        Path database = dir.resolve("state");
        long deadline = System.nanoTime() + PUBLISH_WAIT.toNanos();
        long self = ProcessHandle.current().pid();
        while (true) {
            Properties served = read(dir.resolve(FILE));
            long pid = served == null ? 0 : Long.parseLong(served.getProperty("pid", "0"));
            if (pid != 0 && pid != self && ProcessHandle.of(pid).isPresent()) {
                try {
                    return new Opened(
                            DriverManager.getConnection(
                                    "jdbc:h2:tcp://127.0.0.1:"
                                            + served.getProperty("port")
                                            + "/"
                                            + served.getProperty("key"),
                                    "siphon",
                                    ""),
                            null);
                } catch (SQLException serverGone) {
                    // Its process is ending: the file is free, or soon will be.
                }
            }
            Connection c;
            try {
                c =
                        DriverManager.getConnection(
                                "jdbc:h2:file:" + database + settings, "siphon", "");
            } catch (SQLException e) {
                if (e.getErrorCode() != org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                // Another process has the file open and is about to publish its server.
                sleep();
                continue;
            }
            if (pid == self) {
                return new Opened(c, null);
            }
            try {
                return new Opened(c, start(dir, database));
            } catch (SQLException | IOException e) {
                c.close();
                throw e instanceof SQLException sql
                        ? sql
                        : new SQLException("could not publish the state server: " + e, e);
            }
        }
    }

    private static StateServer start(Path dir, Path database) throws SQLException, IOException {
        String key = UUID.randomUUID().toString();
        // Without -tcpAllowOthers the server refuses connections from other hosts.
        Server server =
                Server.createTcpServer(
                                "-tcpPort", "0", "-tcpDaemon", "-key", key, database.toString())
                        .start();
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(server.getPort()));
        p.setProperty("key", key);
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "The process serving state.mv.db to other siphon processes");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new StateServer(server, file);
    }

    private static Properties read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return p;
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleep() throws SQLException {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the state store", e);
        }
    }

    /** Stops serving: the file's next user opens it itself. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file names a process that is gone or does not serve: readers skip it.
        }
        server.stop();
    }
}
