package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.client.SiphonClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code siphon server} in a child JVM ({@link ChildSiphon}) on a free port of 127.0.0.1, and its
 * REST API over real HTTP as {@code admin}, through the CLI's {@link SiphonClient}. A test can kill
 * it for real and start another on the same data directory.
 */
public final class ServerProcess implements AutoCloseable {

    /** The variable that sets the first admin's password. */
    public static final String ADMIN_PASSWORD_ENV = "SIPHON_ADMIN_PASSWORD";

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    /** The last line of the start banner: the generated password, if any, is printed before it. */
    private static final String BANNER_END = "stop with Ctrl-C or SIGTERM.";

    private static final Pattern GENERATED = Pattern.compile("generated password:\\s+(\\S+)");

    private final Process process;
    private final Path outputDir;
    private final String name;
    private final URI url;
    private final SiphonClient api;

    private ServerProcess(Process process, Path outputDir, String name, URI url, String token) {
        this.process = process;
        this.outputDir = outputDir;
        this.name = name;
        this.url = url;
        this.api = new SiphonClient(url, token);
    }

    /**
     * Starts {@code siphon server --port 0 --bind 127.0.0.1 args...} and returns once it listens.
     *
     * @param name names the output files in {@code outputDir}
     * @param environment extra environment variables; without {@code SIPHON_ADMIN_PASSWORD}, the
     *     password that the first start generates and prints is used
     */
    public static ServerProcess start(
            Path outputDir, String name, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command =
                new ArrayList<>(List.of("server", "--port", "0", "--bind", "127.0.0.1"));
        command.addAll(List.of(args));
        Process process =
                ChildSiphon.start(outputDir, name, environment, command.toArray(String[]::new));
        AtomicReference<URI> url = new AtomicReference<>();
        Awaitility.await(name + " listening")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            assertThat(process.isAlive())
                                    .as("%s ended: %s", name, ChildSiphon.output(outputDir, name))
                                    .isTrue();
                            String out = Files.readString(outputDir.resolve(name + ".out"));
                            Matcher m = LISTENING.matcher(out);
                            if (m.find() && out.contains(BANNER_END)) {
                                url.set(URI.create(m.group(1)));
                            }
                            return url.get() != null;
                        });
        String password = environment.get(ADMIN_PASSWORD_ENV);
        if (password == null) {
            Matcher generated =
                    GENERATED.matcher(Files.readString(outputDir.resolve(name + ".out")));
            assertThat(generated.find()).as(ChildSiphon.output(outputDir, name)).isTrue();
            password = generated.group(1);
        }
        String token;
        try (SiphonClient anonymous = new SiphonClient(url.get(), null)) {
            token =
                    anonymous
                            .post(
                                    "/auth/token",
                                    Map.of("username", "admin", "password", password, "name", name),
                                    "sign in as admin")
                            .get("token")
                            .asString();
        }
        return new ServerProcess(process, outputDir, name, url.get(), token);
    }

    /** The server's base URL. */
    public URI url() {
        return url;
    }

    /** The child process. */
    public Process process() {
        return process;
    }

    /** The server's REST API, through the CLI's own client, signed in as {@code admin}. */
    public SiphonClient api() {
        return api;
    }

    /** Kills the server with SIGKILL, as a crash would. */
    public void kill() throws InterruptedException {
        ChildSiphon.kill(process);
    }

    /** Stops the server with SIGTERM and returns its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output()).isTrue();
        return process.exitValue();
    }

    /** What the server printed on standard output. */
    public String out() throws IOException {
        return Files.readString(outputDir.resolve(name + ".out"));
    }

    /** What the server printed on standard error (its terminal log). */
    public String err() throws IOException {
        return Files.readString(outputDir.resolve(name + ".err"));
    }

    /** Both, for assertion messages. */
    public String output() {
        return ChildSiphon.output(outputDir, name);
    }

    /** Kills the server if a failed test left it running. */
    @Override
    public void close() throws InterruptedException {
        api.close();
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
