package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar siphon.jar server}: the Spring Boot server runs from the shaded jar (its
 * auto-configurations, factories and web resources survived the merge), answers health, signs in,
 * serves the OpenAPI document, the Swagger UI, the metrics and the web UI, and stops on SIGTERM
 * with exit 0.
 */
class ServerJarE2EIT {

    private static final String PASSWORD = "jar-admin-password";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void theJarRunsTheServer() throws Exception {
        Process server = SiphonJar.startServer(dir, PASSWORD);
        try {
            URI url = SiphonJar.awaitListening(server, dir);

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
            // The web UI's files made it into the jar and are served at / without sign-in.
            HttpResponse<String> ui = send(HttpRequest.newBuilder(url.resolve("/")));
            assertThat(ui.statusCode()).isEqualTo(200);
            assertThat(ui.body()).contains("<div id=\"root\"></div>", "/assets/index-");

            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
        }
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
}
