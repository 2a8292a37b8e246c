package io.siphon.connector.redis;

import io.siphon.spi.Option;
import io.siphon.spi.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The settings of the Redis connector (a sink only). */
public final class RedisOptions {

    /** Where the server is. */
    public static final Option<String> URL =
            Option.string(
                            "url",
                            "Redis URL: redis://host:port or redis://host:port/database (a database"
                                    + " number; rediss:// for TLS)")
                    .asRequired();

    /** Who connects (Redis 6 ACL user). */
    public static final Option<String> USER =
            Option.string("user", "ACL user to connect as; empty for the default user");

    /** The user's password. */
    public static final Option<String> PASSWORD =
            Option.string("password", "Password of the user (AUTH)").asSensitive();

    /** How long to wait for the server. */
    public static final Option<Duration> CONNECT_TIMEOUT =
            Option.duration(
                    "connect-timeout",
                    "How long to wait for the server to accept a connection or answer",
                    Duration.ofSeconds(10));

    /** The first part of every key. */
    public static final Option<String> KEY_PREFIX =
            Option.string(
                    "key-prefix",
                    "First part of every key the sink writes: {key-prefix}:{table}:{key}",
                    "siphon");

    /** How a row is stored. */
    public static final Option<String> FORMAT =
            Option.choice(
                    "format",
                    "How a row is stored: hash (one field per column, HSET) or json (one JSON"
                            + " object per row, SET)",
                    "hash",
                    "hash",
                    "json");

    /** How long rows live. */
    public static final Option<Duration> TTL =
            Option.duration(
                    "ttl",
                    "Time to live of each row's key, renewed on every write of the row; 0 keeps"
                            + " rows until they are deleted at the source",
                    Duration.ZERO);

    /** Secondary index sets. */
    public static final Option<Map<String, String>> INDEX_COLUMNS =
            Option.stringMap(
                    "index-columns",
                    "Secondary index sets, per target table: {\"public.orders\":"
                            + " \"customer_id,status\"} keeps a set"
                            + " {key-prefix}:{table}:#index:{column}:{value} of the keys of the"
                            + " rows with that value");

    /** Commands sent before the writer waits for their replies. */
    public static final Option<Integer> PIPELINE_COMMANDS =
            Option.integer(
                            "pipeline-commands",
                            "Commands the writer sends in one pipeline before it reads their"
                                    + " replies (a flush always reads them)",
                            10_000)
                    .onlyFor(Usage.SINK);

    /** Every option. */
    public static final List<Option<?>> ALL =
            List.of(
                    URL,
                    USER,
                    PASSWORD,
                    CONNECT_TIMEOUT,
                    KEY_PREFIX,
                    FORMAT,
                    TTL,
                    INDEX_COLUMNS,
                    PIPELINE_COMMANDS);

    private RedisOptions() {}
}
