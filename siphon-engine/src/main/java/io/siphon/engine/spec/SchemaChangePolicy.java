package io.siphon.engine.spec;

/** What a sink does with a schema change from the source. */
public enum SchemaChangePolicy {
    /** Apply it at the target before the rows that follow it. */
    PROPAGATE,
    /** Leave the target's shape as it is. */
    IGNORE,
    /** Stop the pipeline with an error. */
    FAIL
}
