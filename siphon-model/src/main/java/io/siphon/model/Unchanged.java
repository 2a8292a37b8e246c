package io.siphon.model;

/**
 * Stands for a column value that the source did not send because it did not change (PostgreSQL
 * TOAST values in an update). A sink leaves such a column as it is at the target; it never writes
 * this marker as a value.
 */
public enum Unchanged {
    /** The one marker value. */
    VALUE
}
