package io.siphon.engine.spec;

import io.siphon.spi.Option;
import java.util.List;

/**
 * The keys of a pipeline spec that belong to the engine (the connector keys inside {@code source}
 * and {@code sink} belong to each connector). {@code docs/pipeline-spec.md} is checked against
 * these by a test.
 */
public final class SpecOptions {

    /** The pipeline's name. */
    public static final Option<String> NAME =
            Option.string(
                            "name",
                            "Name of the pipeline: letters, digits, - and _; names its state and,"
                                    + " later, its replication slot")
                    .asRequired();

    /** What the pipeline moves. */
    public static final Option<String> MODE =
            Option.choice(
                    "mode",
                    "What to move: snapshot copies the tables once; cdc streams changes from now"
                            + " on; snapshot+cdc copies the tables, then streams the changes from"
                            + " exactly that point",
                    "snapshot",
                    "snapshot",
                    "cdc",
                    "snapshot+cdc");

    /** What a sink does with schema changes. */
    public static final Option<String> SCHEMA_CHANGES =
            Option.choice(
                    "schema-changes",
                    "What the sink does with a schema change that arrives in the stream: apply it"
                            + " before the rows after it, leave the target as it is, or stop",
                    "propagate",
                    "propagate",
                    "ignore",
                    "fail");

    /** Parallel readers and writers. */
    public static final Option<Integer> PARALLELISM =
            Option.integer(
                    "parallelism",
                    "Parallel snapshot readers and sink writers; 0 means the number of CPU"
                            + " cores, at least 2",
                    0);

    /** Rows per snapshot chunk. */
    public static final Option<Integer> CHUNK_ROWS =
            Option.integer(
                    "chunk-rows",
                    "Rows per snapshot chunk: the unit of parallel reading and of resuming after"
                            + " a crash",
                    100_000);

    /** Rows per batch. */
    public static final Option<Integer> BATCH_ROWS =
            Option.integer("batch-rows", "Rows per batch passed from readers to writers", 5_000);

    /** How long a writer may hold streamed changes before committing them. */
    public static final Option<java.time.Duration> FLUSH_INTERVAL =
            Option.duration(
                    "flush-interval",
                    "Longest time a streamed change waits at a writer before it is committed at"
                            + " the target while the stream drains a backlog (a stream that has"
                            + " caught up with its source commits at once)",
                    java.time.Duration.ofMillis(50));

    /** How often stream positions are made durable. */
    public static final Option<java.time.Duration> CHECKPOINT_INTERVAL =
            Option.duration(
                    "checkpoint-interval",
                    "How often the stream position whose changes are committed at the target is"
                            + " stored and acknowledged to the source (which then releases them)",
                    java.time.Duration.ofSeconds(1));

    /** How often a streaming pipeline looks for new tables. */
    public static final Option<java.time.Duration> DISCOVERY_INTERVAL =
            Option.duration(
                    "discovery-interval",
                    "How often a streaming pipeline looks for new source tables that match its"
                            + " tables patterns; a new one is snapshotted, then streamed, without"
                            + " a restart (0 turns this off)",
                    java.time.Duration.ofSeconds(30));

    /** The connector type of the source or sink. */
    public static final Option<String> TYPE =
            Option.string(
                            "type",
                            "Connector type of the source or sink, for example postgres (see"
                                    + " docs/connectors)")
                    .asRequired();

    /** The target naming rule of the sink. */
    public static final Option<String> SINK_TABLE =
            Option.string(
                    "table",
                    "Target name of each source table, with {schema} and {table} placeholders,"
                            + " for example analytics.{table}",
                    "{schema}.{table}");

    /** Top-level keys that are plain options. */
    public static final List<Option<?>> TOP_LEVEL =
            List.of(
                    NAME,
                    MODE,
                    SCHEMA_CHANGES,
                    PARALLELISM,
                    CHUNK_ROWS,
                    BATCH_ROWS,
                    FLUSH_INTERVAL,
                    CHECKPOINT_INTERVAL,
                    DISCOVERY_INTERVAL);

    /** Top-level keys that hold blocks. */
    public static final List<String> BLOCKS = List.of("source", "sink", "transforms");

    private SpecOptions() {}
}
