package io.siphon.connector.opensearch;

import io.siphon.connector.support.SinkOnlyConnector;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A connection to one OpenSearch cluster, as a sink. The HTTP client is made on first use, so that
 * a spec can be validated offline.
 */
public final class OpenSearchConnector implements SinkOnlyConnector {

    private final Config config;
    private OpenSearchHttp http;

    OpenSearchConnector(Config config) {
        this.config = config;
    }

    @Override
    public String type() {
        return "opensearch";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SINK, Capability.SCHEMA_CHANGES);
    }

    /** Asks the cluster for its name and version: it answers, and takes these credentials. */
    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        List<Problem> wrongSide = usageProblems(usage);
        if (!wrongSide.isEmpty()) {
            return wrongSide;
        }
        try {
            OpenSearchHttp.Reply reply = http().send("GET", "/", null);
            return switch (reply.status()) {
                case 200 -> List.of();
                case 401 ->
                        List.of(
                                new Problem(
                                        ErrorCode.AUTH_FAILED,
                                        "OpenSearch at " + http().url() + " refused the user",
                                        "Check user and password"));
                case 403 ->
                        List.of(
                                new Problem(
                                        ErrorCode.PERMISSION_DENIED,
                                        "OpenSearch at "
                                                + http().url()
                                                + " does not let the user read the cluster",
                                        "Grant the user cluster monitor and index write"
                                                + " permissions on the target indexes"));
                default ->
                        List.of(
                                new Problem(
                                        ErrorCode.CONNECTION_FAILED,
                                        "OpenSearch at "
                                                + http().url()
                                                + " answered "
                                                + reply.error(),
                                        "Check url"));
            };
        } catch (SiphonException e) {
            return List.of(
                    new Problem(
                            ErrorCode.CONNECTION_FAILED,
                            e.getMessage(),
                            "Check url and that the cluster runs"));
        }
    }

    @Override
    public Sink sink() {
        return new OpenSearchSink(new Indexes(http(), config), config);
    }

    /**
     * Every document of a target table's index, decoded into rows of the table as the sink wrote
     * them (in no particular order); the index is refreshed first. For tests, the demo and
     * verification.
     *
     * @param table the target table's schema (what {@code prepareTable} returned, evolved)
     */
    public List<Row> rows(TableSchema table) {
        return IndexedRows.read(http(), index(table.id()), table);
    }

    /**
     * The documents of a target table that a search finds, as a reader of the index would see them
     * (searches see writes after the index's next refresh, within a second by default).
     *
     * @param request a search request body in OpenSearch's query DSL, such as {@code
     *     {"size":1,"sort":[{"id":"desc"}]}}
     */
    public List<Row> search(TableSchema table, String request) {
        return IndexedRows.search(http(), index(table.id()), table, request);
    }

    /** The index that holds a target table, by the sink's {@code index} rule. */
    public String index(TableId target) {
        return IndexNames.of(config.get(OpenSearchOptions.INDEX), target);
    }

    private OpenSearchHttp http() {
        if (http == null) {
            http = new OpenSearchHttp(config);
        }
        return http;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
