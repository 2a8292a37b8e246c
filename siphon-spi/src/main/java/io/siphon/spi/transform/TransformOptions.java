package io.siphon.spi.transform;

import io.siphon.model.TableId;
import io.siphon.spi.Config;
import io.siphon.spi.Option;
import io.siphon.spi.TablePattern;
import java.util.List;

/** Options that mean the same for every transform operator. */
public final class TransformOptions {

    /** The tables an operator acts on; every table when absent. */
    public static final Option<List<String>> TABLES =
            Option.stringList(
                    "tables",
                    "Tables this operator acts on, as schema.table patterns (each part a regular"
                            + " expression matched against the whole name, * alone for any name;"
                            + " without a schema part, any schema); when absent, every table."
                            + " Other tables pass through unchanged");

    private TransformOptions() {}

    /**
     * Whether a table is among an operator's {@link #TABLES}: every table when the option is absent
     * or empty; a pattern without a schema part matches the table in any schema.
     */
    public static boolean tablesMatch(List<TablePattern> patterns, TableId table) {
        // A pattern's own default schema is the table's schema: "orders" matches x.orders for any
        // x.
        return patterns.isEmpty()
                || patterns.stream().anyMatch(p -> p.matches(table, table.schema()));
    }

    /** Parses {@link #TABLES} of a configuration. */
    public static List<TablePattern> tables(Config config) {
        return config.get(TABLES).stream().map(TablePattern::parse).toList();
    }
}
