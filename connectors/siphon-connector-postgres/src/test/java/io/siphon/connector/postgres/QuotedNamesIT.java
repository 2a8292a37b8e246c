package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names that only work quoted (mixed case, spaces, reserved words, a double quote, Unicode) work
 * everywhere: discovery, split bounds, COPY, table creation and upserts.
 */
class QuotedNamesIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId AWKWARD = TableId.of("My \"Schema\" ✓", "Order Items");

    private static final String CREATE =
            "CREATE TABLE \"My \"\"Schema\"\" ✓\".\"Order Items\" ("
                    + "\"select\" int, \"Mixed Case\" text, \"order\" text, \"with\"\"quote\" text,"
                    + " \"ünïcødé 😀\" numeric, \"group by\" int,"
                    + " PRIMARY KEY (\"select\", \"Mixed Case\"))";

    private String sourceWithAwkwardNames() {
        String db = PG.server().createDatabase("quoted");
        PG.server()
                .execute(
                        db,
                        "CREATE SCHEMA \"My \"\"Schema\"\" ✓\"",
                        CREATE,
                        "INSERT INTO \"My \"\"Schema\"\" ✓\".\"Order Items\" SELECT g % 10,"
                                + " 'k' || g, 'o', 'q\"' || g, g / 3.0, g"
                                + " FROM generate_series(1, 500) g");
        return db;
    }

    @Test
    void discoversTheNamesAsStored() {
        String db = sourceWithAwkwardNames();
        try (PostgresConnector source = Pg.connector(PG.server(), db)) {
            TableSchema t = Pg.discover(source, AWKWARD);
            assertThat(t.columnNames())
                    .containsExactly(
                            "select",
                            "Mixed Case",
                            "order",
                            "with\"quote",
                            "ünïcødé 😀",
                            "group by");
            assertThat(t.primaryKey()).containsExactly("select", "Mixed Case");
        }
    }

    @Test
    void copiesAndUpsertsATableWhoseNamesNeedQuoting() throws Exception {
        String db = sourceWithAwkwardNames();
        String target = PG.server().createDatabase("quoted_target");
        TableId renamed = TableId.of("Target \"Space\"", "Also \"Odd\" ✓");
        try (PostgresConnector source = Pg.connector(PG.server(), db);
                PostgresConnector sink = Pg.connector(PG.server(), target)) {
            TableSchema t = Pg.discover(source, AWKWARD);
            List<Row> rows = Pg.readAll(source, t, 60);
            assertThat(source.snapshotSource().planSplits(t, 60)).hasSizeGreaterThan(5);
            assertThat(rows).hasSize(500);

            Pg.copy(sink, t, AWKWARD, rows, WriteMode.BULK_APPEND);
            Pg.copy(sink, t, renamed, rows, WriteMode.UPSERT);
            Pg.copy(sink, t, renamed, rows, WriteMode.UPSERT);
        }
        assertThat(Pg.compare(PG.server(), db, AWKWARD, target, AWKWARD).equal()).isTrue();
        assertThat(Pg.compare(PG.server(), db, AWKWARD, target, renamed).equal()).isTrue();
    }

    @Test
    void upsertsAKeylessTableWithAwkwardNames() throws Exception {
        String db = PG.server().createDatabase("quoted_keyless");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.\"Key Less\" (\"from\" int, \"To\" text)",
                        "INSERT INTO public.\"Key Less\" VALUES (1, 'a'), (2, NULL), (NULL, 'c')");
        TableId table = TableId.of("public", "Key Less");
        TableId target = TableId.of("public", "Key Less Copy");
        try (PostgresConnector c = Pg.connector(PG.server(), db)) {
            TableSchema t = Pg.discover(c, table);
            List<Row> rows = Pg.readAll(c, t, 10);
            Pg.copy(c, t, target, rows, WriteMode.UPSERT);
            Pg.copy(c, t, target, rows, WriteMode.UPSERT);
        }
        assertThat(Pg.compare(PG.server(), db, table, db, target).equal()).isTrue();
    }
}
