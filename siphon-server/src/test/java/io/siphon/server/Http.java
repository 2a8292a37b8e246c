package io.siphon.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for the tests: one way of authenticating (none, basic, bearer or a
 * session cookie), JSON in and out.
 */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final URI base;
    private final String authorization;
    private final String cookie;
    private final Map<String, String> headers;

    private Http(URI base, String authorization, String cookie) {
        this(base, authorization, cookie, Map.of());
    }

    private Http(URI base, String authorization, String cookie, Map<String, String> headers) {
        this.base = base;
        this.authorization = authorization;
        this.cookie = cookie;
        this.headers = Map.copyOf(headers);
    }

    /** The same client, adding a header to every request. */
    public Http with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new Http(base, authorization, cookie, more);
    }

    /**
     * The same client, sending the {@code Origin} of the server, as a browser on its pages does.
     */
    public Http sameOrigin() {
        return with("Origin", base.getScheme() + "://" + base.getRawAuthority());
    }

    /** Without credentials. */
    public static Http anonymous(URI base) {
        return new Http(base, null, null);
    }

    /** With HTTP Basic credentials. */
    public static Http basic(URI base, String user, String password) {
        return new Http(
                base,
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)),
                null);
    }

    /** With an API token. */
    public static Http bearer(URI base, String token) {
        return new Http(base, "Bearer " + token, null);
    }

    /** With a session cookie ({@code NAME=value}). */
    public static Http session(URI base, String cookie) {
        return new Http(base, null, cookie);
    }

    /** An answer: status, headers and body. */
    public record Answer(int status, String body, HttpResponse<String> raw) {

        /** The body as JSON. */
        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** A header, or null. */
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Answer post(String path, Object json) {
        return send("POST", path, json == null ? "" : write(json), "application/json");
    }

    public Answer put(String path, Object json) {
        return send("PUT", path, write(json), "application/json");
    }

    /** Sends a body as it is, with its content type. */
    public Answer send(String method, String path, String body, String contentType) {
        return sendBody(
                method,
                path,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body),
                contentType);
    }

    /** Sends a body of unknown length: chunked, without a Content-Length. */
    public Answer sendChunked(String method, String path, byte[] body, String contentType) {
        return sendBody(
                method,
                path,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                contentType);
    }

    /** One Server-Sent Event: its name and its data as JSON. */
    public record Event(String name, JsonNode data, String contentType) {}

    /**
     * Opens a Server-Sent Events stream, reads events until {@code count} have come, and closes it.
     */
    public java.util.List<Event> events(String path, int count) {
        HttpRequest request = builder("GET", path, HttpRequest.BodyPublishers.noBody()).build();
        java.util.List<Event> out = new java.util.ArrayList<>();
        try {
            HttpResponse<java.util.stream.Stream<String>> response =
                    CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            try (java.util.stream.Stream<String> lines = response.body()) {
                var it = lines.iterator();
                String name = null;
                while (out.size() < count && it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        out.add(
                                new Event(
                                        name,
                                        JSON.readTree(line.substring(5).strip()),
                                        contentType));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder builder(
            String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path)).method(method, body);
        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    private Answer sendBody(
            String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = builder(method, path, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response =
                    CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object json) {
        return json instanceof String s ? s : JSON.writeValueAsString(json);
    }
}
