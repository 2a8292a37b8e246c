package io.siphon.connector.support.jdbc;

/** The part a column plays in its table, as far as the choice of its native type cares. */
public enum ColumnRole {
    /** An ordinary column. */
    VALUE,
    /** A column of the primary key: some families index only bounded types. */
    KEY
}
