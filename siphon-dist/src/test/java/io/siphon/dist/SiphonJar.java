package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The shaded jar as users run it, {@code java -jar target/siphon.jar}, with nothing else on the
 * class path.
 */
final class SiphonJar {

    private static final Path JAR = Path.of("target", "siphon.jar");

    private SiphonJar() {}

    /** A process builder for {@code siphon args...} from the jar, with this JVM's java. */
    static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            // As the ./siphon launcher does: Hazelcast's bundled JCTools uses sun.misc.Unsafe,
            // and Java 23+ warns about it on standard error at every start.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    /**
     * Starts {@code siphon server} on a free port of 127.0.0.1 with its data, standard output
     * ({@code server.out}) and error ({@code server.err}) in {@code dir}.
     */
    static Process startServer(Path dir, String adminPassword) throws IOException {
        ProcessBuilder builder =
                command(
                                "server",
                                "--port",
                                "0",
                                "--bind",
                                "127.0.0.1",
                                "--data-dir",
                                dir.resolve("data").toString())
                        .redirectOutput(dir.resolve("server.out").toFile())
                        .redirectError(dir.resolve("server.err").toFile());
        builder.environment().put("SIPHON_ADMIN_PASSWORD", adminPassword);
        return builder.start();
    }

    /** The URL a server started by {@link #startServer} prints once it listens. */
    static URI awaitListening(Process server, Path dir) {
        Matcher[] found = new Matcher[1];
        Awaitility.await("the server listening")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            assertThat(server.isAlive())
                                    .as(Files.readString(dir.resolve("server.err")))
                                    .isTrue();
                            found[0] =
                                    LISTENING.matcher(Files.readString(dir.resolve("server.out")));
                            return found[0].find();
                        });
        return URI.create(found[0].group(1));
    }
}
