package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar siphon.jar server}: the Spring Boot server runs from the shaded jar (its
 * auto-configurations, factories and web resources survived the merge), answers health, signs in,
 * serves the OpenAPI document, the Swagger UI and the metrics, and stops on SIGTERM with exit 0.
 */
class ServerJarE2EIT {

    private static final String PASSWORD = "jar-admin-password";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void theJarRunsTheServer() throws Exception {
        Path out = dir.resolve("server.out");
        ProcessBuilder builder =
                SiphonJar.command(
                                "server",
                                "--port",
                                "0",
                                "--bind",
                                "127.0.0.1",
                                "--data-dir",
                                dir.resolve("data").toString())
                        .redirectOutput(out.toFile())
                        .redirectError(dir.resolve("server.err").toFile());
        builder.environment().put("SIPHON_ADMIN_PASSWORD", PASSWORD);
        Process server = builder.start();
        try {
            URI url = awaitListening(server, out);

            HttpResponse<String> health =
                    send(HttpRequest.newBuilder(url.resolve("/actuator/health")));
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");

            HttpResponse<String> login =
                    send(
                            HttpRequest.newBuilder(url.resolve("/api/v1/auth/login"))
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"username\":\"admin\",\"password\":\""
                                                            + PASSWORD
                                                            + "\"}")));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertThat(cookie).startsWith("SIPHON_SESSION=");

            JsonNode openapi = JSON.readTree(signedIn(url, "/api/v1/openapi.json", cookie));
            assertThat(openapi.get("openapi").asString()).startsWith("3.");
            assertThat(openapi.get("paths").propertyNames())
                    .contains("/api/v1/pipelines", "/api/v1/connections", "/api/v1/auth/login");
            assertThat(signedIn(url, "/api/v1/swagger-ui/index.html", cookie))
                    .contains("<title>Swagger UI</title>");
            assertThat(signedIn(url, "/actuator/prometheus", cookie))
                    .contains("http_server_requests_seconds_count{");

            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
        }
    }

    private URI awaitListening(Process server, Path out) {
        Matcher[] found = new Matcher[1];
        Awaitility.await("the server listening")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            assertThat(server.isAlive()).as(output()).isTrue();
                            found[0] = LISTENING.matcher(Files.readString(out));
                            return found[0].find();
                        });
        return URI.create(found[0].group(1));
    }

    private String signedIn(URI url, String path, String cookie) throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(url.resolve(path)).header("Cookie", cookie));
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(
                request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String output() throws Exception {
        return Files.readString(dir.resolve("server.out"))
                + Files.readString(dir.resolve("server.err"));
    }
}
