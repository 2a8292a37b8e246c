package io.siphon.connector.opensearch;

import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Requests to one cluster through the OpenSearch Java client's generic API, with bodies the sink
 * writes itself. Requests the cluster turns away for now (HTTP 429, 502, 503, 504, or no answer)
 * are retried with capped exponential back-off until {@link OpenSearchOptions#RETRY_TIMEOUT}; every
 * other answer is returned as it is. One per connector; used by one thread at a time.
 */
final class OpenSearchHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchHttp.class);

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** An answer: its status and its body, {@link MissingNode} when it has none. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The error's type and reason, for messages. */
        String error() {
            JsonNode error = body.path("error");
            if (error.isObject()) {
                return error.path("type").asString() + ": " + error.path("reason").asString();
            }
            return "HTTP " + status + (error.isMissingNode() ? "" : ": " + error.asString());
        }
    }

    private final String url;
    private final OpenSearchTransport transport;
    private final OpenSearchGenericClient client;
    private final Duration retryTimeout;

    OpenSearchHttp(Config config) {
        this.url = config.get(OpenSearchOptions.URL);
        this.retryTimeout = config.get(OpenSearchOptions.RETRY_TIMEOUT);
        HttpHost host;
        try {
            host = HttpHost.create(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "url '" + url + "' is not an address such as http://localhost:9200",
                    e);
        }
        String user = config.get(OpenSearchOptions.USER);
        String password = config.get(OpenSearchOptions.PASSWORD);
        Timeout requestTimeout =
                Timeout.ofMilliseconds(config.get(OpenSearchOptions.REQUEST_TIMEOUT).toMillis());
        this.transport =
                ApacheHttpClient5TransportBuilder.builder(host)
                        .setMapper(new PlainJsonpMapper())
                        .setRequestConfigCallback(
                                builder -> builder.setResponseTimeout(requestTimeout))
                        .setHttpClientConfigCallback(
                                builder -> {
                                    if (user != null) {
                                        BasicCredentialsProvider credentials =
                                                new BasicCredentialsProvider();
                                        credentials.setCredentials(
                                                new AuthScope(host),
                                                new UsernamePasswordCredentials(
                                                        user,
                                                        (password == null ? "" : password)
                                                                .toCharArray()));
                                        builder.setDefaultCredentialsProvider(credentials);
                                    }
                                    return builder;
                                })
                        .build();
        this.client = new OpenSearchClient(transport).generic();
    }

    /** The cluster's address, for messages. */
    String url() {
        return url;
    }

    /** Sends a JSON request (body may be null), retrying while the cluster turns it away. */
    Reply send(String method, String path, String json) {
        return send(
                method,
                path,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    /** Sends a request whose body has the given content type, retrying as the class says. */
    Reply send(String method, String path, byte[] body, String contentType) {
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            String problem;
            try {
                Reply reply = once(method, path, body, contentType);
                if (!turnedAway(reply.status())) {
                    return reply;
                }
                problem = reply.error();
            } catch (IOException e) {
                problem = e.toString();
                if (System.nanoTime() > deadline) {
                    throw new SiphonException(
                            ErrorCode.CONNECTION_LOST,
                            "OpenSearch at " + url + " did not answer " + method + " " + path,
                            e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new SiphonException(
                        ErrorCode.SINK_WRITE_RETRIABLE,
                        "OpenSearch at "
                                + url
                                + " kept turning away "
                                + method
                                + " "
                                + path
                                + " for "
                                + retryTimeout.toSeconds()
                                + " s ("
                                + problem
                                + "); raise retry-timeout or give the cluster more capacity");
            }
            LOG.warn(
                    "OpenSearch turned away {} {} ({}); retrying in {}",
                    method,
                    path,
                    problem,
                    backoff);
            pause(backoff);
            backoff =
                    backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                            ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
        }
    }

    /** Whether a status means "not now" rather than "no". */
    static boolean turnedAway(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private Reply once(String method, String path, byte[] body, String contentType)
            throws IOException {
        Answer answer = exchange(method, path, body, contentType);
        return new Reply(
                answer.status(),
                answer.body().length > 0
                        ? JSON.readTree(answer.body())
                        : MissingNode.getInstance());
    }

    /**
     * Sends a JSON request once and returns the answer's body as text, unparsed (so that values
     * keep the exact text they were sent with): for reading back, which is not retried.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTION_LOST} when the cluster does not answer,
     *     {@link ErrorCode#SINK_WRITE_FAILED} when it answers with an error
     */
    String text(String method, String path, String json) {
        Answer answer;
        try {
            answer =
                    exchange(
                            method,
                            path,
                            json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                            "application/json");
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST,
                    "OpenSearch at " + url + " did not answer " + method + " " + path,
                    e);
        }
        if (answer.status() >= 300) {
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_FAILED,
                    "OpenSearch at "
                            + url
                            + " refused "
                            + method
                            + " "
                            + path
                            + ": "
                            + new String(answer.body(), StandardCharsets.UTF_8));
        }
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    /** A raw answer: its status and body bytes (empty when it has none). */
    private record Answer(int status, byte[] body) {}

    private Answer exchange(String method, String path, byte[] body, String contentType)
            throws IOException {
        int q = path.indexOf('?');
        Map<String, String> query = new java.util.LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        Requests.JsonBodyBuilder request =
                Requests.builder().method(method).endpoint(q >= 0 ? path.substring(0, q) : path);
        if (body != null) {
            request.body(Body.from(body, contentType));
        }
        Request built = request.query(query).build();
        try (Response response = client.execute(built)) {
            byte[] bytes =
                    response.getBody().isPresent()
                            ? response.getBody().get().bodyAsBytes()
                            : new byte[0];
            return new Answer(response.getStatus(), bytes);
        }
    }

    /** Waits out a back-off; an interrupt ends it as a retriable failure. */
    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_RETRIABLE, "interrupted while backing off", e);
        }
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("Closing the OpenSearch client failed", e);
        }
    }
}
