package io.siphon.spi;

/** What kind of thing went wrong; decides how the error is shown and whether retrying can help. */
public enum ErrorCategory {
    /** The pipeline spec or a connector option is wrong. */
    CONFIG,
    /** A server could not be reached or the connection broke. */
    CONNECTION,
    /** The server refused the credentials. */
    AUTH,
    /** The user lacks a privilege or a server setting is missing. */
    PERMISSION,
    /** A table or column is missing or does not fit. */
    SCHEMA,
    /** A type cannot be carried. */
    TYPE,
    /** A value cannot be read or written. */
    DATA,
    /** The source no longer has the position to resume from. */
    POSITION_LOST,
    /** The target refused or failed a write. */
    SINK,
    /** A bug or an unexpected state inside Siphon. */
    INTERNAL
}
