package io.siphon.spi;

import java.util.List;

/**
 * Options that mean the same for every connector, so the engine can read them without knowing the
 * connector. A source connector lists {@link #TABLES} and {@link #EXCLUDE_TABLES} among its {@link
 * ConnectorFactory#options()}.
 */
public final class StandardOptions {

    /** The tables a source takes, as {@link TablePattern}s. */
    public static final Option<List<String>> TABLES =
            Option.stringList(
                            "tables",
                            "Tables to take, as schema.table patterns: each part a regular expression"
                                    + " matched against the whole name, * alone for any name (public.*,"
                                    + " public.order_items_.*); without a schema part, the connector's"
                                    + " default schema; when absent, every table")
                    .onlyFor(Usage.SOURCE, Usage.STREAM_SOURCE);

    /** Tables a source leaves out although {@link #TABLES} matches them. */
    public static final Option<List<String>> EXCLUDE_TABLES =
            Option.stringList("exclude-tables", "Tables to leave out, as schema.table patterns")
                    .onlyFor(Usage.SOURCE, Usage.STREAM_SOURCE);

    /**
     * What a source does with a zero date (MySQL {@code 0000-00-00}), which no other system and no
     * model type holds: {@code error} stops with the table, column and key; {@code null} carries it
     * as NULL, and the source declares such columns nullable. Only sources that can meet one list
     * it.
     */
    public static final Option<String> ZERO_DATES =
            Option.choice(
                            "zero-dates",
                            "What to do with a zero date such as 0000-00-00, which has no value"
                                    + " outside MySQL: error (stop, naming the table, column and"
                                    + " key) or null (carry it as NULL; the columns become"
                                    + " nullable at the target)",
                            "error",
                            "error",
                            "null")
                    .onlyFor(Usage.SOURCE, Usage.STREAM_SOURCE);

    private StandardOptions() {}
}
