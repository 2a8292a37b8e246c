package io.siphon.connector.kafka;

import io.siphon.spi.Option;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of the Kafka connector. The encodings follow Debezium's options of the same meaning
 * ({@code decimal.handling.mode}, {@code time.precision.mode}, {@code tombstones.on.delete}) with
 * Debezium's defaults, so that consumers written for Debezium read Siphon's records unchanged.
 */
public final class KafkaOptions {

    /** Where the brokers are. */
    public static final Option<String> BOOTSTRAP_SERVERS =
            Option.string(
                            "bootstrap-servers",
                            "Brokers to connect to first, as host:port[,host:port...]")
                    .asRequired();

    /** The first part of every topic name, and the {@code source.name} of each event. */
    public static final Option<String> TOPIC_PREFIX =
            Option.string(
                    "topic-prefix",
                    "First part of the topic names ({prefix} in the topic rule) and the"
                            + " source.name field of each event, as Debezium's topic.prefix",
                    "siphon");

    /** How a table's topic is named. */
    public static final Option<String> TOPIC =
            Option.string(
                    "topic",
                    "Topic of each target table, with the placeholders {prefix}, {schema} and"
                            + " {table}; Kafka allows letters, digits, '.', '_' and '-', and any"
                            + " other character in a name becomes '_'. As a source, the rule read"
                            + " backwards: the topics it matches ({schema} a part without dots)"
                            + " hold the tables it names",
                    "{prefix}.{schema}.{table}");

    /** The consumer group a source commits its position to. */
    public static final Option<String> GROUP_ID =
            Option.string(
                            "group-id",
                            "Consumer group the source commits its position to once the sink"
                                    + " has flushed ({pipeline} is the pipeline's name); the"
                                    + " position a run resumes from is the one stored with the"
                                    + " pipeline's state",
                            "siphon-{pipeline}")
                    .onlyFor(Usage.SOURCE, Usage.STREAM_SOURCE);

    /** How many readers share the source's partitions. */
    public static final Option<Integer> READERS =
            Option.integer(
                            "readers",
                            "Readers that read the topics' partitions in parallel, each its share"
                                    + " of them with its own position: partition p of topic t is"
                                    + " read by reader (hash(t) + p) mod readers, so a key's"
                                    + " changes (one partition) stay in order; a table whose"
                                    + " partitions several readers share must keep its schema"
                                    + " while they read it",
                            1)
                    .onlyFor(Usage.SOURCE, Usage.STREAM_SOURCE);

    /** Where schema changes go. */
    public static final Option<String> SCHEMA_CHANGE_TOPIC =
            Option.string(
                            "schema-change-topic",
                            "Topic of the schema change events ({prefix} allowed), as Debezium"
                                    + " writes them to the topic named by its prefix",
                            "{prefix}")
                    .onlyFor(Usage.SINK);

    /** What a record's value holds. */
    public static final Option<String> FORMAT =
            Option.choice(
                            "format",
                            "Record value: debezium (Debezium's change event envelope: before,"
                                    + " after, source, op, ts_ms) or row (the row after the change"
                                    + " as a JSON object; a delete writes only the tombstone)",
                            "debezium",
                            "debezium",
                            "row")
                    .onlyFor(Usage.SINK);

    /** Whether each record carries its schema. */
    public static final Option<Boolean> SCHEMAS =
            Option.bool(
                            "schemas",
                            "Write keys and values as Kafka Connect's JsonConverter does with"
                                    + " schemas.enable=true ({\"schema\": ..., \"payload\": ...});"
                                    + " false writes the payload alone",
                            true)
                    .onlyFor(Usage.SINK);

    /** Whether a delete is followed by a tombstone. */
    public static final Option<Boolean> TOMBSTONES =
            Option.bool(
                            "tombstones",
                            "After each delete, write a record with the key and a null value, so"
                                    + " that a compacted topic forgets the row (Debezium's"
                                    + " tombstones.on.delete)",
                            true)
                    .onlyFor(Usage.SINK);

    /** How exact decimals are written. */
    public static final Option<String> DECIMAL_HANDLING =
            Option.choice(
                            "decimal-handling",
                            "Exact decimals as precise (Kafka Connect's Decimal: the unscaled"
                                    + " value's bytes, base64 in JSON), double or string, as"
                                    + " Debezium's decimal.handling.mode",
                            "precise",
                            "precise",
                            "double",
                            "string")
                    .onlyFor(Usage.SINK);

    /** How dates and times are written. */
    public static final Option<String> TIME_PRECISION =
            Option.choice(
                            "time-precision",
                            "Dates and times as adaptive (Debezium's types chosen by the column's"
                                    + " precision: io.debezium.time.Date, Time, MicroTime,"
                                    + " Timestamp, MicroTimestamp) or connect (Kafka Connect's"
                                    + " Date, Time and Timestamp, in milliseconds), as Debezium's"
                                    + " time.precision.mode",
                            "adaptive",
                            "adaptive",
                            "connect")
                    .onlyFor(Usage.SINK);

    /** How record batches are compressed. */
    public static final Option<String> COMPRESSION =
            Option.choice(
                            "compression",
                            "Compression of the record batches the producer sends",
                            "lz4",
                            "none",
                            "gzip",
                            "snappy",
                            "lz4",
                            "zstd")
                    .onlyFor(Usage.SINK);

    /** Partitions of a topic the sink creates. */
    public static final Option<Integer> PARTITIONS =
            Option.integer(
                            "partitions",
                            "Partitions of each topic the sink creates (records of one key always"
                                    + " go to the same partition, so per-row order holds)",
                            1)
                    .onlyFor(Usage.SINK);

    /** How long the producer may group records before sending them. */
    public static final Option<Duration> LINGER =
            Option.duration(
                            "linger",
                            "How long the producer waits to fill a batch before sending it"
                                    + " (Kafka's linger.ms)",
                            Duration.ofMillis(5))
                    .onlyFor(Usage.SINK);

    /** How long a request may take. */
    public static final Option<Duration> TIMEOUT =
            Option.duration(
                    "timeout",
                    "How long to wait for the brokers: to connect, to learn a topic's leader, to"
                            + " acknowledge a write",
                    Duration.ofSeconds(30));

    /** Whether a consumer may see a change twice after a crash. */
    public static final Option<String> DELIVERY =
            Option.choice(
                            "delivery",
                            "at-least-once (records visible as soon as the brokers have them; after"
                                    + " a crash the changes since the last checkpoint are written"
                                    + " again) or exactly-once (Kafka transactions committed at each"
                                    + " checkpoint: a read_committed consumer sees each change once,"
                                    + " up to a checkpoint interval later; needs brokers with"
                                    + " transactions)",
                            "at-least-once",
                            "at-least-once",
                            "exactly-once")
                    .onlyFor(Usage.SINK);

    /** How long an exactly-once transaction may stay open. */
    public static final Option<Duration> TRANSACTION_TIMEOUT =
            Option.duration(
                            "transaction-timeout",
                            "With delivery: exactly-once, how long the brokers keep a transaction"
                                    + " open before aborting it (Kafka's transaction.timeout.ms);"
                                    + " at least twice the pipeline's checkpoint-interval, and at"
                                    + " most the brokers' transaction.max.timeout.ms",
                            Duration.ofMinutes(1))
                    .onlyFor(Usage.SINK);

    /** Where an exactly-once sink records what it committed. */
    public static final Option<String> POSITIONS_TOPIC =
            Option.string(
                            "positions-topic",
                            "With delivery: exactly-once, the compacted topic ({prefix} allowed)"
                                    + " where each pipeline's writers record, in their"
                                    + " transactions, the last change and the snapshot chunks they"
                                    + " committed, so that a replay after a crash skips them",
                            "{prefix}.siphon-positions")
                    .onlyFor(Usage.SINK);

    /** Anything else the client needs (security). */
    public static final Option<Map<String, String>> CLIENT_PROPERTIES =
            Option.stringMap(
                            "client-properties",
                            "Further Kafka client settings, such as security.protocol and"
                                    + " sasl.jaas.config; hidden in logs, since they may hold"
                                    + " credentials")
                    .asSensitive();

    /** Every option, for the factory. */
    public static final List<Option<?>> ALL =
            List.of(
                    BOOTSTRAP_SERVERS,
                    StandardOptions.TABLES,
                    StandardOptions.EXCLUDE_TABLES,
                    GROUP_ID,
                    READERS,
                    TOPIC_PREFIX,
                    TOPIC,
                    SCHEMA_CHANGE_TOPIC,
                    FORMAT,
                    SCHEMAS,
                    TOMBSTONES,
                    DECIMAL_HANDLING,
                    TIME_PRECISION,
                    COMPRESSION,
                    PARTITIONS,
                    LINGER,
                    TIMEOUT,
                    DELIVERY,
                    TRANSACTION_TIMEOUT,
                    POSITIONS_TOPIC,
                    CLIENT_PROPERTIES);

    private KafkaOptions() {}
}
