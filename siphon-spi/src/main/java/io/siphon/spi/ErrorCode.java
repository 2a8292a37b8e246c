package io.siphon.spi;

/**
 * Every error Siphon reports has one of these codes. The code is stable (scripts and alerts may
 * match on it); the message says what happened to what, and what to do.
 */
public enum ErrorCode {
    /** The pipeline spec has a key that does not exist. */
    CONFIG_UNKNOWN_KEY(ErrorCategory.CONFIG, false),
    /** A required key is missing. */
    CONFIG_MISSING_KEY(ErrorCategory.CONFIG, false),
    /** A key has a value of the wrong type or out of range. */
    CONFIG_INVALID_VALUE(ErrorCategory.CONFIG, false),
    /** The spec is not valid YAML or JSON. */
    CONFIG_SYNTAX(ErrorCategory.CONFIG, false),
    /** A {@code ${env:..}} or {@code ${file:..}} reference cannot be resolved. */
    CONFIG_UNRESOLVED_REFERENCE(ErrorCategory.CONFIG, false),
    /** No connector is installed for the {@code type} named. */
    CONNECTOR_NOT_FOUND(ErrorCategory.CONFIG, false),
    /** A connector lacks a capability the pipeline needs (for example it cannot be a sink). */
    CAPABILITY_MISSING(ErrorCategory.CONFIG, false),
    /** The server cannot be reached. */
    CONNECTION_FAILED(ErrorCategory.CONNECTION, true),
    /** An open connection broke. */
    CONNECTION_LOST(ErrorCategory.CONNECTION, true),
    /** User name or password was refused. */
    AUTH_FAILED(ErrorCategory.AUTH, false),
    /** The user lacks a privilege the pipeline needs. */
    PERMISSION_DENIED(ErrorCategory.PERMISSION, false),
    /** A server setting the pipeline needs is off (for example {@code wal_level}). */
    SERVER_SETTING(ErrorCategory.PERMISSION, false),
    /** A table named in the spec does not exist, or the patterns match no table. */
    TABLE_NOT_FOUND(ErrorCategory.SCHEMA, false),
    /** A table exists at the target with a shape that cannot take the source's rows. */
    SCHEMA_MISMATCH(ErrorCategory.SCHEMA, false),
    /** A column type cannot be carried to this target. */
    TYPE_UNSUPPORTED(ErrorCategory.TYPE, false),
    /** A value could not be decoded or encoded. */
    DATA_INVALID(ErrorCategory.DATA, false),
    /**
     * A transform's options or expression do not fit the table it is bound to: an expression that
     * does not parse or type-check, a column that does not exist, a cast that cannot be made.
     */
    TRANSFORM_INVALID(ErrorCategory.CONFIG, false),
    /** A transform failed on a row: an expression error, a value a cast cannot convert. */
    TRANSFORM_FAILED(ErrorCategory.DATA, false),
    /** The source position to resume from is gone; the data must be snapshotted again. */
    POSITION_LOST(ErrorCategory.POSITION_LOST, false),
    /** The target failed a write that retrying may fix (deadlock, serialization failure). */
    SINK_WRITE_RETRIABLE(ErrorCategory.SINK, true),
    /** The target refused a write (constraint, disk full, read-only). */
    SINK_WRITE_FAILED(ErrorCategory.SINK, false),
    /** A request to the server carried no credentials, or credentials it refused. */
    UNAUTHENTICATED(ErrorCategory.AUTH, false),
    /** The caller's role does not allow the request (a viewer changing a pipeline). */
    ACCESS_DENIED(ErrorCategory.PERMISSION, false),
    /** The named object (connection, pipeline, user, token) does not exist. */
    NOT_FOUND(ErrorCategory.CONFIG, false),
    /** An object with that name exists already. */
    ALREADY_EXISTS(ErrorCategory.CONFIG, false),
    /**
     * The object is in a state that does not allow the request: a running pipeline cannot be
     * changed or deleted, a connection in use cannot be deleted.
     */
    STATE_CONFLICT(ErrorCategory.CONFIG, false),
    /** A request to the server is larger than the server accepts. */
    REQUEST_TOO_LARGE(ErrorCategory.CONFIG, false),
    /** Too many failed sign-ins: the user or address must wait before trying again. */
    TOO_MANY_ATTEMPTS(ErrorCategory.AUTH, true),
    /**
     * Another copy of the pipeline runs (another process with the same state directory, or one with
     * another state directory streaming from the same source objects); the message names it.
     */
    PIPELINE_ALREADY_RUNNING(ErrorCategory.CONFIG, false),
    /** The local state store (offsets, snapshot progress) failed. */
    STATE_STORE_FAILED(ErrorCategory.INTERNAL, false),
    /**
     * The local state store cannot grow: the disk holding the state directory is full, or a limit
     * on the size of a file (such as {@code ulimit -f}) is reached. Nothing stored is lost; the run
     * can resume once there is room.
     */
    STATE_STORE_FULL(ErrorCategory.INTERNAL, false),
    /** An unexpected failure inside Siphon; please report it. */
    INTERNAL_ERROR(ErrorCategory.INTERNAL, false);

    private final ErrorCategory category;
    private final boolean retriable;

    ErrorCode(ErrorCategory category, boolean retriable) {
        this.category = category;
        this.retriable = retriable;
    }

    /** The kind of error. */
    public ErrorCategory category() {
        return category;
    }

    /** Whether retrying the same operation later may succeed. */
    public boolean retriable() {
        return retriable;
    }
}
