package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the tests of the client commands check of a command's outcome. */
final class ClientAssertions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ClientAssertions() {}

    /** The command succeeded and printed exactly these lines, and nothing on standard error. */
    static void assertPrints(CliOutcome outcome, String... lines) {
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.out().lines()).as(outcome.toString()).containsExactly(lines);
        assertThat(outcome.err()).isEmpty();
    }

    /** The command failed with exactly this error line, and printed nothing else. */
    static void assertFailed(CliOutcome outcome, String line) {
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(SiphonCli.EXIT_FAILED);
        assertThat(outcome.err()).isEqualTo(line + "\n");
        assertThat(outcome.out()).isEmpty();
    }

    /** The JSON a successful {@code --json} command printed. */
    static JsonNode json(CliOutcome outcome) {
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        return JSON.readTree(outcome.out());
    }

    /** A timestamp field as the tables show it: to the second. */
    static String second(JsonNode node, String field) {
        return Instant.parse(node.get(field).asString()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
