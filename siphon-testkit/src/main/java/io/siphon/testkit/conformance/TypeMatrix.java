package io.siphon.testkit.conformance;

import io.siphon.model.TableId;
import java.util.List;

/**
 * A source's table with a column of every type its connector must carry, as a source test class
 * hands it to {@link SourceConformanceSuite} (PostgreSQL: {@link
 * io.siphon.testkit.pg.PostgresTypeMatrix}).
 *
 * @param table the table the statements create
 * @param statements the statements that create the table (and the types it needs) and fill it, in
 *     order
 * @param rows how many rows the statements insert; the first column is an integer key
 */
public record TypeMatrix(TableId table, List<String> statements, int rows) {

    /** Copies the statements. */
    public TypeMatrix {
        statements = List.copyOf(statements);
    }
}
