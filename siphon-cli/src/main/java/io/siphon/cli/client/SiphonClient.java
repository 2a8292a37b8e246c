package io.siphon.cli.client;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Talks to a Siphon server's REST API ({@code /api/v1}) as one user: JSON in and out, an API token
 * as bearer credentials, and every error answer turned into a {@link SiphonException} with the
 * server's {@link ErrorCode} and a message that says what to do:
 *
 * <ul>
 *   <li>401: not signed in, or the token expired: run {@code siphon login};
 *   <li>403: the user's role may not do this: ask an admin;
 *   <li>404, 409, 400: the server's own message, which names the object or the conflict;
 *   <li>no server at the address: {@link ErrorCode#CONNECTION_FAILED}.
 * </ul>
 *
 * <p>Requests go through {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}:
 * the latter sets up TLS even for a plain-HTTP server, which made every client command about a
 * quarter of a second slower to start. One command uses one client, on one thread, and closes it.
 */
public final class SiphonClient implements AutoCloseable {

    /** Where the API lives under the server's base URL. */
    public static final String API = "/api/v1";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Stopping a pipeline answers once it has stopped, which may take a while. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private static final String JSON_TYPE = "application/json";

    /** Who is signed in, and with which role: asked to explain a refusal. */
    private static final String ME = "/auth/me";

    private final URI server;
    private final String token;

    /**
     * A client for one server.
     *
     * @param server the base URL, as {@link #serverUrl(String)} returns it
     * @param token the API token to send, or null to send no credentials
     */
    public SiphonClient(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /**
     * The base URL of a server as a user types it: {@code http://host:port}, {@code
     * https://host/siphon}, or {@code host:port} (http is assumed), without a trailing slash.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for anything else
     */
    public static URI serverUrl(String text) {
        String trimmed = text.strip();
        String withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed;
        while (withScheme.endsWith("/")) {
            withScheme = withScheme.substring(0, withScheme.length() - 1);
        }
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below, with the form the address must have.
        }
        throw new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                "'"
                        + text
                        + "' is not a server address; write it as http://host:port, for example"
                        + " http://localhost:8080");
    }

    /** A name as one segment of a request path, escaped. */
    public static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The base URL of the server. */
    public URI server() {
        return server;
    }

    /**
     * {@code GET /api/v1<path>}.
     *
     * @param action what the request does, for an error message: {@code list users}
     */
    public JsonNode get(String path, String action) {
        return send("GET", path, null, null, action);
    }

    /** {@code POST /api/v1<path>} with a body turned into JSON (null: no body). */
    public JsonNode post(String path, Object body, String action) {
        return send(
                "POST",
                path,
                body == null ? null : JsonMappers.compact().writeValueAsString(body),
                JSON_TYPE,
                action);
    }

    /** {@code PUT /api/v1<path>} with a body turned into JSON. */
    public JsonNode put(String path, Object body, String action) {
        return send("PUT", path, JsonMappers.compact().writeValueAsString(body), JSON_TYPE, action);
    }

    /** {@code DELETE /api/v1<path>}; the answer is empty. */
    public JsonNode delete(String path, String action) {
        return send("DELETE", path, null, null, action);
    }

    /**
     * Sends a request and returns the JSON answer (a missing node for an empty one).
     *
     * @param body the request body, or null for none
     * @param contentType the body's media type, for example {@code application/yaml}
     * @param action what the request does, for an error message: {@code create user 'bob'}
     * @throws SiphonException for an error answer, or when no server answers
     */
    public JsonNode send(
            String method, String path, String body, String contentType, String action) {
        Answer answer = exchange(method, path, body, contentType);
        JsonNode json = json(answer, method, path);
        if (answer.status() >= 400) {
            throw failure(answer.status(), json, method, path, action);
        }
        return json;
    }

    /** An HTTP answer: status, content type (empty when none) and body. */
    private record Answer(int status, String contentType, String body) {}

    private Answer exchange(String method, String path, String body, String contentType) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(server + API + path).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            connection.setRequestProperty("Accept", JSON_TYPE + ", application/problem+json");
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            if (bytes != null) {
                connection.setRequestProperty("Content-Type", contentType);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bytes.length);
            }
            connect(connection);
            try {
                if (bytes != null) {
                    try (OutputStream out = connection.getOutputStream()) {
                        out.write(bytes);
                    }
                }
                int status = connection.getResponseCode();
                String type = connection.getContentType();
                String text;
                try (InputStream in =
                        status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                return new Answer(status, type == null ? "" : type, text);
            } catch (SocketTimeoutException e) {
                connection.disconnect();
                throw new SiphonException(
                        ErrorCode.CONNECTION_FAILED,
                        server
                                + " did not answer "
                                + method
                                + " "
                                + API
                                + path
                                + " within "
                                + REQUEST_TIMEOUT.toMinutes()
                                + " minutes; the server log may say why",
                        e);
            }
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "cannot talk to " + server + ": " + e.getClass().getSimpleName() + detail(e),
                    e);
        }
    }

    /** Opens the connection, telling "nobody there" and "no answer in time" apart. */
    private void connect(HttpURLConnection connection) throws IOException {
        try {
            connection.connect();
        } catch (ConnectException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "no Siphon server at "
                            + server
                            + "; start one with siphon server, or pass --server",
                    e);
        } catch (SocketTimeoutException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    server
                            + " did not accept a connection within "
                            + CONNECT_TIMEOUT.toSeconds()
                            + " s; check --server and the network",
                    e);
        }
    }

    private static String detail(Exception e) {
        return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    }

    /** The answer's JSON; anything else means the address is not a Siphon server. */
    private JsonNode json(Answer response, String method, String path) {
        String body = response.body();
        String type = response.contentType();
        if (body.isEmpty()) {
            return JsonMappers.compact().missingNode();
        }
        if (type.contains("json")) {
            try {
                return JsonMappers.compact().readTree(body);
            } catch (JacksonException e) {
                // Falls through to the answer below: JSON that does not parse is not Siphon's.
            }
        }
        throw new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                server
                        + " answered "
                        + method
                        + " "
                        + API
                        + path
                        + " with HTTP "
                        + response.status()
                        + " and "
                        + (type.isEmpty() ? "no content type" : type)
                        + ", not Siphon's JSON; is --server the address of a Siphon server?");
    }

    private SiphonException failure(
            int status, JsonNode problem, String method, String path, String action) {
        ErrorCode code = codeOf(problem.path("code").asString(""), status);
        String detail = problem.path("detail").asString("");
        String message =
                switch (status) {
                    case 401 ->
                            token == null
                                    ? "not signed in to "
                                            + server
                                            + "; run siphon login --server "
                                            + server
                                    : server
                                            + " did not accept the token (it expired or was"
                                            + " deleted); run siphon login --server "
                                            + server;
                    case 403 ->
                            "your role"
                                    + (path.equals(ME) ? "" : role())
                                    + " may not "
                                    + action
                                    + "; ask an admin for a stronger role";
                    default ->
                            detail.isEmpty()
                                    ? server
                                            + " answered HTTP "
                                            + status
                                            + " to "
                                            + method
                                            + " "
                                            + API
                                            + path
                                    : detail;
                };
        return new SiphonException(code, message);
    }

    /** An error code the server sent; one this client does not know is an internal error. */
    public static ErrorCode errorCode(String name) {
        for (ErrorCode known : ErrorCode.values()) {
            if (known.name().equals(name)) {
                return known;
            }
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /** The code of an error answer: the server's, or one that fits the HTTP status. */
    private static ErrorCode codeOf(String code, int status) {
        if (!code.isEmpty()) {
            return errorCode(code);
        }
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.ACCESS_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.STATE_CONFLICT;
            default -> ErrorCode.INTERNAL_ERROR;
        };
    }

    /**
     * {@code " (viewer)"}: the signed-in user's role, asked of the server so that it is the current
     * one; empty when the server does not tell, as the refusal is what matters.
     */
    private String role() {
        try {
            return " (" + get(ME, "read who is signed in").path("role").asString() + ")";
        } catch (SiphonException e) {
            return "";
        }
    }

    /** Nothing to release: each request opens and closes its own connection. */
    @Override
    public void close() {}
}
