package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users run it, {@code java -jar siphon.jar}, with nothing else on the class
 * path: its manifest names the main class and the module opens, and the merged service files let
 * the engine find the PostgreSQL connector.
 */
class SiphonJarIT {

    @TempDir Path dir;

    @Test
    void printsItsVersion() throws Exception {
        Result result = java("--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("siphon \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n");
    }

    @Test
    void findsThePostgresConnectorAndReportsAnUnreachableServerWithoutATrace() throws Exception {
        Path spec =
                Files.writeString(
                        dir.resolve("pipeline.yaml"),
                        """
                        name: jar-check
                        source:
                          type: postgres
                          url: jdbc:postgresql://127.0.0.1:%d/nowhere
                          user: nobody
                        sink:
                          type: postgres
                          url: jdbc:postgresql://127.0.0.1:%d/nowhere
                          user: nobody
                        """
                                .formatted(closedPort(), closedPort()));

        Result result =
                java("validate", spec.toString(), "--state-dir", dir.resolve("state").toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("error [CONNECTION_FAILED]: ");
        assertThat(result.err()).doesNotContain("\tat ");
        assertThat(dir.resolve("state/siphon.log")).exists();
    }

    @Test
    void findsTheMySqlConnectorToo() throws Exception {
        Path spec =
                Files.writeString(
                        dir.resolve("mysql.yaml"),
                        """
                        name: jar-check-mysql
                        source:
                          type: postgres
                          url: jdbc:postgresql://127.0.0.1:%d/nowhere
                          user: nobody
                        sink:
                          type: mysql
                          url: jdbc:mariadb://127.0.0.1:%d/nowhere
                          user: nobody
                        """
                                .formatted(closedPort(), closedPort()));

        Result result =
                java("validate", spec.toString(), "--state-dir", dir.resolve("state").toString());

        // An unknown type would be a CONFIG_ error about the spec, before any connection.
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("error [CONNECTION_FAILED]: ");
        assertThat(result.err()).doesNotContain("CONFIG_").doesNotContain("\tat ");
    }

    private record Result(int exitCode, String out, String err) {}

    private Result java(String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process =
                SiphonJar.command(args)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
