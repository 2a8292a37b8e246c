package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.testkit.pg.PostgresExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code siphon server} in its own JVM, as an operator runs it: what it prints, how it logs, how
 * SIGTERM stops it, and how each mistake at start ends with exit code 1 and one {@code error
 * [CODE]} block, never a stack trace nor the libraries' own reports of the failure.
 */
class ServerCommandE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void printsTheGeneratedAdminPasswordOnceLogsJsonLinesAndExits0OnSigterm() throws Exception {
        Path dataDir = dir.resolve("data");
        String password;
        try (ServerProcess server =
                ServerProcess.start(
                        dir,
                        "first",
                        Map.of(),
                        "--data-dir",
                        dataDir.toString(),
                        "--log-format",
                        "json")) {
            assertThat(server.out())
                    .startsWith(
                            "Siphon server "
                                    + SiphonVersion.version()
                                    + " listening on "
                                    + server.url()
                                    + "\n\nThe first user is admin, with this generated"
                                    + " password:\n\n    ");
            password = server.out().lines().toList().get(4).strip();
            assertThat(password).matches("[A-Za-z2-9]{20}");
            JsonNode me = server.api().get("/auth/me", "who am I");
            assertThat(me.get("username").asString()).isEqualTo("admin");
            assertThat(me.get("role").asString()).isEqualTo("admin");

            assertThat(server.stop()).as(server.output()).isZero();
            List<JsonNode> terminal = json(server.err());
            assertThat(terminal.getFirst().get("formattedMessage").asString())
                    .isEqualTo(
                            "Starting: ServerSettings[bind=127.0.0.1:0, dataDir="
                                    + dataDir
                                    + ", metadata=embedded H2]");
            assertThat(terminal.getLast().get("formattedMessage").asString()).isEqualTo("Stopped");
            assertThat(terminal)
                    .allSatisfy(line -> assertThat(line.get("level").asString()).isNotEmpty());
        }
        String file = Files.readString(dataDir.resolve("siphon.log"));
        assertThat(json(file))
                .anySatisfy(
                        line ->
                                assertThat(line.get("loggerName").asString())
                                        .startsWith("org.springframework."));
        assertThat(file).doesNotContain(password);
        assertThat(dataDir.resolve("secret.key")).exists();

        try (ServerProcess again =
                ServerProcess.start(
                        dir,
                        "again",
                        Map.of(ServerProcess.ADMIN_PASSWORD_ENV, password),
                        "--data-dir",
                        dataDir.toString())) {
            assertThat(again.out()).doesNotContain("generated password");
            assertThat(again.api().get("/auth/me", "who am I").get("username").asString())
                    .isEqualTo("admin");
            assertThat(again.stop()).isZero();
            assertThat(again.err()).endsWith("INFO  ServerCommand - Stopped\n");
        }
    }

    @Test
    void aPortInUseIsOneErrorBlock() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            String err = failedStart("busy", Map.of(), "--port", Integer.toString(port));

            assertThat(err)
                    .endsWith(
                            "\nerror [CONFIG_INVALID_VALUE]: port "
                                    + port
                                    + " on 127.0.0.1 is in use by another process; stop it or"
                                    + " choose another --port\n");
        }
        assertThat(Files.readString(dir.resolve("busy/siphon.log")))
                .contains("PortInUseException")
                .contains("\tat ");
    }

    @Test
    void anUnreachableMetadataStoreIsOneErrorBlock() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/siphon";

        String err =
                failedStart(
                        "unreachable",
                        Map.of("SIPHON_METADATA_PASSWORD", "never-printed"),
                        "--metadata-url",
                        url,
                        "--metadata-user",
                        "siphon");

        assertThat(err)
                .contains(
                        "\nerror [CONNECTION_FAILED]: cannot connect to the metadata store "
                                + url
                                + ": Connection to 127.0.0.1:"
                                + closed
                                + " refused.")
                .endsWith(" Check --metadata-url and that PostgreSQL runs there.\n")
                .doesNotContain("never-printed");
    }

    @Test
    void aMissingMetadataDatabaseIsOneErrorBlock() throws Exception {
        String url = PG.server().jdbcUrl("no_such_database");

        String err =
                failedStart("nodb", Map.of(), "--metadata-url", url, "--metadata-user", "postgres");

        assertThat(err)
                .endsWith(
                        "\nerror [CONFIG_INVALID_VALUE]: FATAL: database \"no_such_database\""
                                + " does not exist at the metadata store "
                                + url
                                + "; create it, or name another database\n");
    }

    @Test
    void aMalformedSecretKeyIsOneErrorBlock() throws Exception {
        String err = failedStart("badkey", Map.of("SIPHON_SECRET_KEY", "not-a-key"));

        assertThat(err)
                .endsWith(
                        "\nerror [CONFIG_INVALID_VALUE]: the secret key in SIPHON_SECRET_KEY must"
                                + " be base64 of 32 random bytes (for example the output of"
                                + " 'openssl rand -base64 32')\n")
                .doesNotContain("not-a-key");
    }

    /**
     * Starts a server that must fail, with its data directory {@code dir/name}, and returns its
     * standard error after checking what every failed start shares.
     */
    private String failedStart(String name, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "server",
                                "--bind",
                                "127.0.0.1",
                                "--data-dir",
                                dir.resolve(name).toString()));
        command.addAll(List.of(args));
        Process process = ChildSiphon.start(dir, name, environment, command.toArray(String[]::new));
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String output = ChildSiphon.output(dir, name);
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(Files.readString(dir.resolve(name + ".out"))).as(output).isEmpty();
        String err = Files.readString(dir.resolve(name + ".err"));
        assertThat(err).as(output).doesNotContain("\tat ", " WARN ", " ERROR ");
        assertThat(err.lines().filter(l -> l.startsWith("error ["))).hasSize(1);
        return err;
    }

    private static List<JsonNode> json(String lines) {
        return lines.lines().map(JSON::readTree).toList();
    }
}
