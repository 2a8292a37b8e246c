package io.siphon.embedded;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Redis 6.2 server in a temporary folder, on a free loopback port, with an append-only
 * file so that a restart keeps what was written. Used by tests, the demo and the benchmarks, like
 * {@link PostgresServer}.
 *
 * <p>The binary is the {@code redis-server} for Linux x86-64 that the Maven artifact {@code
 * com.github.codemonstur:embedded-redis} carries as a class path resource: nothing is downloaded or
 * installed. It is copied out once per OS user into a folder beside the temporary folders and
 * shared by every server; each server's data is in its own folder.
 *
 * <p>The server dies with the JVM that started it: a shutdown hook closes it when the JVM exits or
 * gets {@code SIGTERM} or Ctrl-C, and the server runs under a small {@code sh} watchdog that stops
 * it when the JVM's end of its standard input closes, which the kernel does when the JVM dies in
 * any way, {@code SIGKILL} included.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

    private static final String BINARY = "redis-server-6.2.6-v5-linux-amd64";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Runs its arguments as the server and waits for it, while a background reader of the JVM's
     * pipe (standard input, kept as descriptor 3: an asynchronous list's own standard input is
     * /dev/null) sends the server {@code SIGTERM} at end of file; exits with the server's status.
     */
    private static final String WATCHDOG =
            "exec 3<&0; \"$@\" & server=$!;"
                    + " { read -r _ <&3; kill $server 2>/dev/null; } & watcher=$!;"
                    + " wait $server; status=$?; kill $watcher 2>/dev/null; exit $status";

    private final Path root;
    private final int port;
    private final List<String> command;
    private final Thread stopAtExit;
    private Process process;

    private RedisServer(Path root, int port, List<String> command) {
        this.root = root;
        this.port = port;
        this.command = command;
        this.stopAtExit = new Thread(this::close, "stop redis-server on port " + port);
    }

    /** Starts a server with the default settings. */
    public static RedisServer start() {
        return start(Map.of());
    }

    /**
     * Starts a server; {@code settings} are extra or overriding directives, as in {@code
     * redis.conf} ({@code "appendfsync" -> "always"}).
     *
     * @throws SiphonException {@link ErrorCode#CONNECTION_FAILED} when the server cannot start,
     *     {@link ErrorCode#CAPABILITY_MISSING} when its binary is not on the class path
     */
    public static RedisServer start(Map<String, String> settings) {
        Path binary = sharedBinary();
        Path root = TempDirectories.create("siphon-redis-");
        int port = freePort();
        Map<String, String> directives = new LinkedHashMap<>();
        directives.put("port", String.valueOf(port));
        directives.put("bind", "127.0.0.1");
        directives.put("dir", root.toString());
        directives.put("daemonize", "no");
        directives.put("appendonly", "yes");
        directives.put("appendfsync", "everysec");
        directives.put("save", "");
        directives.put("logfile", root.resolve("redis.log").toString());
        directives.putAll(settings);
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "sh"));
        command.add(binary.toString());
        directives.forEach(
                (name, value) -> {
                    command.add("--" + name);
                    command.add(value);
                });
        RedisServer server = new RedisServer(root, port, List.copyOf(command));
        try {
            Runtime.getRuntime().addShutdownHook(server.stopAtExit);
            server.launch();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The TCP port the server listens on (loopback only). */
    public int port() {
        return port;
    }

    /** The server's folder. */
    Path root() {
        return root;
    }

    /** The server's URL for the redis connector: {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Stops the server the way an operator does ({@code SIGTERM}: Redis writes its append-only file
     * and exits) and starts it again on the same port and data. Every connection breaks; nothing
     * acknowledged is lost.
     */
    public void restart() {
        stop();
        launch();
    }

    private void launch() {
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(root.resolve("redis.out").toFile())
                            .start();
        } catch (IOException e) {
            throw failed("could not run " + command.get(0), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw failed("redis-server exited with status " + process.exitValue(), null);
            }
            if (System.nanoTime() > deadline) {
                throw failed("redis-server did not answer within " + START_TIMEOUT, null);
            }
            pause();
        }
    }

    /** True when the server answers {@code PING} (not while it still loads its data). */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the server with {@code SIGTERM} through its watchdog (closing its standard input), so
     * that it writes its append-only file; kills it if it has not exited within 30 s.
     */
    private synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.warn("Could not close the watchdog's input of redis-server on port {}", port, e);
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                killForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            killForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void killForcibly() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private SiphonException failed(String why, Throwable cause) {
        String log = "";
        try {
            Path file = root.resolve("redis.log");
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                log =
                        "; its log ends: "
                                + lines.subList(Math.max(0, lines.size() - 5), lines.size());
            }
        } catch (IOException e) {
            log = "; its log could not be read: " + e.getMessage();
        }
        return new SiphonException(
                ErrorCode.CONNECTION_FAILED,
                "Could not start an embedded Redis server in " + root + ": " + why + log,
                cause);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, "No free port for an embedded Redis server", e);
        }
    }

    /** The binary, copied once per OS user out of the class path (the copy is atomic). */
    private static Path sharedBinary() {
        Path target =
                Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve("siphon-redis-binaries-" + System.getProperty("user.name"))
                        .resolve(BINARY);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(BINARY)) {
            if (in == null) {
                throw new SiphonException(
                        ErrorCode.CAPABILITY_MISSING,
                        "This build of Siphon has no embedded Redis server (no "
                                + BINARY
                                + " on the class path): siphon.jar finds it in"
                                + " lib/embedded-redis.jar beside it, as the build leaves it in"
                                + " siphon-dist/target; elsewhere add the dependency"
                                + " com.github.codemonstur:embedded-redis");
            }
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), BINARY, ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            partial.toFile().setExecutable(true, true);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(partial);
            }
            return target;
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not copy the embedded redis-server to " + target + ": " + e.getMessage(),
                    e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, "Interrupted while Redis was starting", e);
        }
    }

    /** Stops the server and removes its files. */
    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting, and this may be the hook itself.
        }
        TempDirectories.deleteRecursively(root);
    }
}
