package io.siphon.connector.opensearch;

import io.siphon.spi.Option;
import io.siphon.spi.Usage;
import java.time.Duration;
import java.util.List;

/** The options of the {@code opensearch} connector. */
public final class OpenSearchOptions {

    /** Where the cluster answers. */
    public static final Option<String> URL =
            Option.string("url", "HTTP address of an OpenSearch node, http(s)://host:9200")
                    .asRequired();

    /** Basic-auth user. */
    public static final Option<String> USER =
            Option.string("user", "User for HTTP basic authentication; none when absent");

    /** Basic-auth password. */
    public static final Option<String> PASSWORD =
            Option.string("password", "Password of the user").asSensitive();

    /** The index naming rule. */
    public static final Option<String> INDEX =
            Option.string(
                            "index",
                            "Index of each target table, with {schema} and {table} placeholders"
                                    + " (the target names after the pipeline's table rule),"
                                    + " lower-cased, for example shop-{table}",
                            "{schema}.{table}")
                    .onlyFor(Usage.SINK);

    /** How text columns are indexed. */
    public static final Option<String> STRINGS =
            Option.choice(
                            "strings",
                            "How text columns are indexed: text-and-keyword (full text, with an"
                                    + " exact .keyword sub-field for values up to 256 characters),"
                                    + " text (full text only) or keyword (exact values only); key"
                                    + " columns are always keyword",
                            "text-and-keyword",
                            "text-and-keyword",
                            "text",
                            "keyword")
                    .onlyFor(Usage.SINK);

    /** How JSON columns are held. */
    public static final Option<String> JSON =
            Option.choice(
                            "json",
                            "How JSON columns are held: flat-object (searchable by path, any keys;"
                                    + " each value must be an object or an array of objects"
                                    + " without duplicate keys) or string (any JSON, its text kept"
                                    + " exactly as the source wrote it, not searchable)",
                            "flat-object",
                            "flat-object",
                            "string")
                    .onlyFor(Usage.SINK);

    /** Shards of a created index. */
    public static final Option<Integer> SHARDS =
            Option.integer("shards", "Primary shards of each index the sink creates", 1)
                    .onlyFor(Usage.SINK);

    /** Replicas of a created index. */
    public static final Option<Integer> REPLICAS =
            Option.integer("replicas", "Replicas of each index the sink creates", 1)
                    .onlyFor(Usage.SINK);

    /** The size of one bulk request. */
    public static final Option<Integer> BULK_BYTES =
            Option.integer(
                            "bulk-bytes",
                            "Largest body of one _bulk request, in bytes; a batch above it is sent"
                                    + " as several requests",
                            5_000_000)
                    .onlyFor(Usage.SINK);

    /** How long rejections are retried. */
    public static final Option<Duration> RETRY_TIMEOUT =
            Option.duration(
                            "retry-timeout",
                            "How long the sink backs off and retries when the cluster rejects"
                                    + " requests (HTTP 429, a full write queue) or cannot be"
                                    + " reached, before the pipeline fails",
                            Duration.ofMinutes(2))
                    .onlyFor(Usage.SINK);

    /** How long one request may take to be answered. */
    public static final Option<Duration> REQUEST_TIMEOUT =
            Option.duration(
                            "request-timeout",
                            "How long the sink waits for the answer to one request (a _bulk"
                                    + " request of bulk-bytes included) before it counts the"
                                    + " request as unanswered and sends it again; an overloaded"
                                    + " node can take more than the client's usual 30 s over a"
                                    + " large bulk, and a resent one doubles its work",
                            Duration.ofMinutes(2))
                    .onlyFor(Usage.SINK);

    /** Every option, for the factory. */
    public static final List<Option<?>> ALL =
            List.of(
                    URL,
                    USER,
                    PASSWORD,
                    INDEX,
                    STRINGS,
                    JSON,
                    SHARDS,
                    REPLICAS,
                    BULK_BYTES,
                    RETRY_TIMEOUT,
                    REQUEST_TIMEOUT);

    private OpenSearchOptions() {}
}
