package io.siphon.connector.postgres.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.TableFilter;
import io.siphon.testkit.pg.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** discover() lists user tables with their columns in order and their key in key order. */
class TableCatalogIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static String db;

    @BeforeAll
    static void database() {
        db = PG.server().createDatabase("catalog");
        PG.server()
                .execute(
                        db,
                        "CREATE SCHEMA sales",
                        "CREATE TABLE sales.lines (a int, dropped int, b text NOT NULL,"
                                + " c numeric(8,3), PRIMARY KEY (b, a))",
                        "ALTER TABLE sales.lines DROP COLUMN dropped",
                        "CREATE TABLE sales.notes (n text)",
                        "CREATE VIEW sales.line_view AS SELECT * FROM sales.lines",
                        "CREATE MATERIALIZED VIEW sales.line_mv AS SELECT * FROM sales.lines",
                        "CREATE TABLE public.parted (id int, day date, PRIMARY KEY (id, day))"
                                + " PARTITION BY RANGE (day)",
                        "CREATE TABLE public.parted_2024 PARTITION OF public.parted"
                                + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                        "CREATE TABLE public.\"Zeta\" (x int)");
    }

    @Test
    void aColumnAddedWithAConstantDefaultCarriesTheValueItsOlderRowsHave() {
        String other = PG.server().createDatabase("defaults");
        PG.server()
                .execute(
                        other,
                        "CREATE TABLE defaults (id int PRIMARY KEY, created_with int DEFAULT 7)",
                        "INSERT INTO defaults (id) VALUES (1)",
                        "ALTER TABLE defaults ADD COLUMN price numeric DEFAULT 1.5,"
                                + " ADD COLUMN day date NOT NULL DEFAULT '2026-03-04',"
                                + " ADD COLUMN tags text[] DEFAULT '{a,\"b c\"}',"
                                + " ADD COLUMN plain text");
        TableSchema defaults;
        try (PostgresConnector c = Pg.connector(PG.server(), other)) {
            defaults = c.discover(Pg.tables("public.defaults")).get(0);
        }

        assertThat(defaults.column("created_with").missingValue()).isNull();
        assertThat(defaults.column("price").missingValue())
                .isEqualTo(new java.math.BigDecimal("1.5"));
        assertThat(defaults.column("day").missingValue())
                .isEqualTo(java.time.LocalDate.of(2026, 3, 4));
        assertThat(defaults.column("tags").missingValue()).isEqualTo(List.of("a", "b c"));
        assertThat(defaults.column("plain").missingValue()).isNull();
    }

    private static List<TableSchema> discover(TableFilter filter) {
        try (PostgresConnector c = Pg.connector(PG.server(), db)) {
            return c.discover(filter);
        }
    }

    @Test
    void listsUserTablesByNameButNotViewsPartitionsOrSystemTables() {
        assertThat(discover(TableFilter.of(List.of("*.*"), List.of())))
                .extracting(TableSchema::id)
                .containsExactly(
                        TableId.of("public", "Zeta"),
                        TableId.of("public", "parted"),
                        TableId.of("sales", "lines"),
                        TableId.of("sales", "notes"));
    }

    @Test
    void patternsWithoutASchemaMeanTheDefaultSchemaAndExcludesApply() {
        assertThat(
                        discover(
                                TableFilter.of(
                                        List.of("*", "sales.*"), List.of("sales.notes", "Zeta"))))
                .extracting(TableSchema::id)
                .containsExactly(TableId.of("public", "parted"), TableId.of("sales", "lines"));
    }

    @Test
    void describesColumnsInOrderWithTypesNullabilityAndTheKeyInKeyOrder() {
        TableSchema lines = discover(Pg.tables("sales.lines")).get(0);
        assertThat(lines.columns())
                .containsExactly(
                        new Column("a", new DataType.Int32(), false, "integer"),
                        new Column("b", DataType.StringType.unbounded(), false, "text"),
                        new Column("c", new DataType.DecimalType(8, 3), true, "numeric(8,3)"));
        assertThat(lines.primaryKey()).containsExactly("b", "a");
        assertThat(discover(Pg.tables("parted")).get(0).primaryKey()).containsExactly("id", "day");
        assertThat(discover(Pg.tables("sales.notes")).get(0).hasPrimaryKey()).isFalse();
    }
}
