package io.siphon.spi;

import java.util.List;
import java.util.Map;

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

    /**
     * Target column types chosen by the user, read with {@link ColumnTypes}: {@code
     * schema.table.column} (target names) to a type in the sink's SQL. A sink that lists it creates
     * those columns with that type, reports an unknown type from {@link Sink#checkTable} and a type
     * that may not hold every source value from {@link Sink#tableWarnings}; the engine checks that
     * each names a target table and column.
     */
    public static final Option<Map<String, String>> COLUMN_TYPES =
            Option.stringMap(
                            "column-types",
                            "Types for target columns instead of the ones the sink would choose, as"
                                    + " schema.table.column: type in the target's SQL (target"
                                    + " names, after the table rule and the transforms), for"
                                    + " example public.orders.note: varchar(200)")
                    .onlyFor(Usage.SINK);

    private StandardOptions() {}
}
