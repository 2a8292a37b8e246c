package io.siphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the wire against a real HTTP listener on loopback: what it sends (method,
 * body, token) and how it reads answers, error answers and answers that are not Siphon's. The
 * server's real API is exercised by the client ITs; this pins the transport.
 */
class SiphonClientExchangeTest {

    private record Seen(String method, String path, String auth, String type, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private HttpServer http;
    private URI url;

    private record Answer(int status, String type, String body) {}

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.start();
        url = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(
                new Seen(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body));
        Answer answer =
                answers.getOrDefault(
                        exchange.getRequestURI().getRawPath(),
                        new Answer(200, "application/json", "{}"));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        if (answer.type() != null) {
            exchange.getResponseHeaders().add("Content-Type", answer.type());
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void sendsTheMethodTheJsonBodyAndTheTokenAndReadsTheJsonAnswer() {
        answers.put(
                "/api/v1/users", new Answer(201, "application/json", "{\"name\":\"bob\",\"n\":2}"));
        try (SiphonClient client = new SiphonClient(url, "tok-1")) {
            var answer = client.post("/users", Map.of("name", "bob"), "create user 'bob'");
            assertThat(answer.path("name").asString()).isEqualTo("bob");
            assertThat(answer.path("n").asInt()).isEqualTo(2);
            client.put("/users/bob", Map.of("role", "viewer"), "change user 'bob'");
            client.get("/users", "list users");
            client.delete("/users/bob", "delete user 'bob'");
        }
        assertThat(seen)
                .containsExactly(
                        new Seen(
                                "POST",
                                "/api/v1/users",
                                "Bearer tok-1",
                                "application/json",
                                "{\"name\":\"bob\"}"),
                        new Seen(
                                "PUT",
                                "/api/v1/users/bob",
                                "Bearer tok-1",
                                "application/json",
                                "{\"role\":\"viewer\"}"),
                        new Seen("GET", "/api/v1/users", "Bearer tok-1", null, ""),
                        new Seen("DELETE", "/api/v1/users/bob", "Bearer tok-1", null, ""));
    }

    @Test
    void anEmptyAnswerIsAMissingNodeAndNoTokenSendsNoCredentials() {
        answers.put("/api/v1/tokens/t", new Answer(204, null, ""));
        try (SiphonClient client = new SiphonClient(url, null)) {
            assertThat(client.delete("/tokens/t", "delete token").isMissingNode()).isTrue();
        }
        assertThat(seen.getFirst().auth()).isNull();
    }

    @Test
    void anErrorAnswerBecomesTheServersCodeAndMessage() {
        answers.put(
                "/api/v1/pipelines/x",
                new Answer(
                        409,
                        "application/problem+json",
                        "{\"code\":\"PIPELINE_ALREADY_RUNNING\",\"detail\":\"pipeline 'x' runs"
                                + " already\"}"));
        try (SiphonClient client = new SiphonClient(url, "tok")) {
            assertThatThrownBy(() -> client.get("/pipelines/x", "read pipeline 'x'"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.PIPELINE_ALREADY_RUNNING);
                                assertThat(e.getMessage()).isEqualTo("pipeline 'x' runs already");
                            });
        }
    }

    @Test
    void anExpiredTokenSaysToSignInAgain() {
        answers.put("/api/v1/pipelines", new Answer(401, "application/json", "{}"));
        try (SiphonClient client = new SiphonClient(url, "old")) {
            assertThatThrownBy(() -> client.get("/pipelines", "list pipelines"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                                assertThat(e.getMessage()).contains("run siphon login --server");
                            });
        }
    }

    @Test
    void anAnswerThatIsNotJsonSaysTheAddressIsNotASiphonServer() {
        answers.put("/api/v1/pipelines", new Answer(200, "text/html", "<html>hello</html>"));
        try (SiphonClient client = new SiphonClient(url, null)) {
            assertThatThrownBy(() -> client.get("/pipelines", "list pipelines"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e ->
                                    assertThat(e.getMessage())
                                            .contains("HTTP 200 and text/html")
                                            .contains("not Siphon's JSON"));
        }
    }

    @Test
    void noServerAtTheAddressIsAConnectionFailureThatSaysHowToStartOne() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (SiphonClient client = new SiphonClient(URI.create("http://127.0.0.1:" + port), null)) {
            assertThatThrownBy(() -> client.get("/pipelines", "list pipelines"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                                assertThat(e.getMessage())
                                        .startsWith("no Siphon server at http://127.0.0.1:" + port)
                                        .contains("start one with siphon server");
                            });
        }
    }
}
