package io.siphon.connector.opensearch;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Sends a {@link BulkBatch} and reads each action's outcome: actions the cluster turned away for
 * now (status 429, a full write queue) are sent again, alone, after a back-off; any other refused
 * action fails the call with a message that names its table, key, index and the reason.
 */
final class BulkSender {

    private static final Logger LOG = LoggerFactory.getLogger(BulkSender.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final OpenSearchHttp http;
    private final Duration retryTimeout;

    BulkSender(OpenSearchHttp http, Duration retryTimeout) {
        this.http = http;
        this.retryTimeout = retryTimeout;
    }

    /**
     * Sends every action of the batch and clears it once all are applied.
     *
     * @throws SiphonException {@link ErrorCode#SINK_WRITE_FAILED} for a refused action, {@link
     *     ErrorCode#SINK_WRITE_RETRIABLE} when actions were still turned away at the timeout
     */
    void send(BulkBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<BulkBatch.Item> pending = batch.items();
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            OpenSearchHttp.Reply reply =
                    http.send("POST", "/_bulk", batch.body(pending), "application/x-ndjson");
            if (!reply.ok()) {
                throw new SiphonException(
                        ErrorCode.SINK_WRITE_FAILED,
                        "OpenSearch at "
                                + http.url()
                                + " refused a bulk request of "
                                + pending.size()
                                + " actions for table "
                                + pending.get(0).table()
                                + ": "
                                + reply.error());
            }
            List<BulkBatch.Item> again = new ArrayList<>();
            if (reply.body().path("errors").asBoolean(false)) {
                JsonNode results = reply.body().path("items");
                for (int i = 0; i < pending.size(); i++) {
                    JsonNode result = results.get(i).values().iterator().next();
                    int status = result.path("status").asInt();
                    if (status == 429) {
                        again.add(pending.get(i));
                    } else if (result.has("error")) {
                        throw refused(pending.get(i), result);
                    }
                }
            }
            if (again.isEmpty()) {
                batch.clear();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new SiphonException(
                        ErrorCode.SINK_WRITE_RETRIABLE,
                        "OpenSearch at "
                                + http.url()
                                + " kept rejecting "
                                + again.size()
                                + " bulk actions (HTTP 429, write queue full) for "
                                + retryTimeout.toSeconds()
                                + " s; raise retry-timeout or give the cluster more capacity");
            }
            LOG.warn(
                    "OpenSearch rejected {} of {} bulk actions (429); sending them again in {}",
                    again.size(),
                    pending.size(),
                    backoff);
            OpenSearchHttp.pause(backoff);
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(MAX_BACKOFF) > 0) {
                backoff = MAX_BACKOFF;
            }
            pending = again;
        }
    }

    private static SiphonException refused(BulkBatch.Item item, JsonNode result) {
        JsonNode error = result.path("error");
        String reason = error.path("type").asString() + ": " + error.path("reason").asString();
        JsonNode cause = error.path("caused_by");
        if (cause.isObject()) {
            reason +=
                    " ("
                            + cause.path("type").asString()
                            + ": "
                            + cause.path("reason").asString()
                            + ")";
        }
        return new SiphonException(
                ErrorCode.SINK_WRITE_FAILED,
                "OpenSearch refused the document of table "
                        + item.table()
                        + " with key "
                        + item.key()
                        + " in index "
                        + result.path("_index").asString()
                        + ": "
                        + reason);
    }
}
