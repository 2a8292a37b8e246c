package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon validate} on a pipeline with transforms: each table's target and its columns after
 * the chain, or the expression that does not compile with its position and the columns there are.
 */
class TransformsValidateIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    private Path spec(String source, String target, String transforms) throws Exception {
        return Files.writeString(
                dir.resolve("pipeline.yaml"),
                """
                name: validate-transforms
                source:
                  type: postgres
                  url: %s
                  user: postgres
                  tables: ["shard_[0-9]+.orders"]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                  table: "dw.{table}"
                transforms:
                %s
                """
                        .formatted(
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target),
                                transforms.indent(2).stripTrailing()));
    }

    private String shards() {
        return PG.server()
                .createDatabase("validate_tf_src")
                .transform(
                        db -> {
                            PG.server()
                                    .execute(
                                            db,
                                            "CREATE SCHEMA shard_1",
                                            "CREATE SCHEMA shard_2",
                                            "CREATE TABLE shard_1.orders (id int PRIMARY KEY,"
                                                    + " email text, total numeric(10,2))",
                                            "CREATE TABLE shard_2.orders (id int PRIMARY KEY,"
                                                    + " email text, total numeric(10,2))");
                            return db;
                        });
    }

    @Test
    void printsEachTablesTargetAndTheColumnsLeavingEachNode() throws Exception {
        Path spec =
                spec(
                        shards(),
                        PG.server().createDatabase("validate_tf_dst"),
                        """
                        - compute: { set: { cents: "int(row.total * 100.0)" } }
                        - mask: { columns: [email] }
                        - route: { target: public.all_orders, source-column: source_table }""");

        CliOutcome validate =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("s").toString());

        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.out())
                .isEqualTo(
                        """
                        OK: 2 tables
                          shard_1.orders -> dw.all_orders
                              id int32 key, email varchar(64) null, total decimal(10,2) null, \
                        cents int64 null, source_table string key
                          shard_2.orders -> dw.all_orders
                              id int32 key, email varchar(64) null, total decimal(10,2) null, \
                        cents int64 null, source_table string key
                        Nodes (the rows leaving each one):
                          source (source)
                              shard_1.orders: id int32 key, email string null, total decimal(10,2) null
                              shard_2.orders: id int32 key, email string null, total decimal(10,2) null
                          #1 (compute)
                              shard_1.orders: id int32 key, email string null, total decimal(10,2) \
                        null, cents int64 null
                              shard_2.orders: id int32 key, email string null, total decimal(10,2) \
                        null, cents int64 null
                          #2 (mask)
                              shard_1.orders: id int32 key, email varchar(64) null, total \
                        decimal(10,2) null, cents int64 null
                              shard_2.orders: id int32 key, email varchar(64) null, total \
                        decimal(10,2) null, cents int64 null
                          #3 (route)
                              public.all_orders: id int32 key, email varchar(64) null, total \
                        decimal(10,2) null, cents int64 null, source_table string key
                          sink (sink)
                              dw.all_orders: id int32 key, email varchar(64) null, total \
                        decimal(10,2) null, cents int64 null, source_table string key
                        """);
    }

    @Test
    void anExpressionThatDoesNotCompileFailsWithItsPositionAndTheColumns() throws Exception {
        Path spec =
                spec(
                        shards(),
                        PG.server().createDatabase("validate_tf_dst"),
                        "- filter: { where: \"row.totl > 1.0\" }");

        CliOutcome validate =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("s").toString());

        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.err())
                .contains(
                        "error [TRANSFORM_INVALID]: transform '#1' (filter) on table shard_1.orders")
                .contains("row.totl > 1.0")
                .contains("total");
    }

    @Test
    void previewPrintsTheRowsLeavingEachNodeAndWritesNothing() throws Exception {
        String source = shards();
        PG.server()
                .execute(
                        source,
                        "INSERT INTO shard_1.orders VALUES (1, 'a@x.org', 10.00), (2, 'b@x.org',"
                                + " 20.50), (3, 'c@x.org', 30.00)");
        String target = PG.server().createDatabase("validate_tf_dst");
        Path spec =
                spec(
                        source,
                        target,
                        """
                        - filter: { where: "row.total > 15.0" }
                        - mask: { columns: [email], with: redact }""");

        CliOutcome preview =
                siphon(
                        "preview",
                        spec.toString(),
                        "--table",
                        "shard_1.orders",
                        "--limit",
                        "2",
                        "--state-dir",
                        dir.resolve("s").toString());

        assertThat(preview.exitCode()).as(preview.toString()).isZero();
        assertThat(preview.out())
                .isEqualTo(
                        """
                        source (source): shard_1.orders, 2 rows
                          id | email | total
                          1 | a@x.org | 10.00
                          2 | b@x.org | 20.50
                        #1 (filter): shard_1.orders, 1 row
                          id | email | total
                          2 | b@x.org | 20.50
                        #2 (mask): shard_1.orders, 1 row
                          id | email | total
                          2 | **** | 20.50
                        sink (sink): dw.orders, 1 row
                          id | email | total
                          2 | **** | 20.50
                        """);
        try (var c = PG.server().connect(target);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'dw'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("a preview creates nothing at the target").isZero();
        }
    }

    @Test
    void aGraphIsValidatedPerFlowWithTheColumnsLeavingEachNode() throws Exception {
        Path spec =
                Files.writeString(
                        dir.resolve("graph.yaml"),
                        """
                        name: validate-graph
                        nodes:
                          - id: shop
                            source: { type: postgres, url: "%s", user: postgres,
                                      tables: [shard_1.orders] }
                          - id: hide
                            mask: { columns: [email], with: redact }
                          - id: lake
                            sink: { type: postgres, url: "%s", user: postgres }
                          - id: crm
                            sink: { type: postgres, url: "%s", user: postgres, table: "crm.{table}" }
                        edges:
                          - { from: shop, to: lake }
                          - { from: shop, to: hide }
                          - { from: hide, to: crm }
                        """
                                .formatted(
                                        PG.server().jdbcUrl(shards()),
                                        PG.server().jdbcUrl(PG.server().createDatabase("lake")),
                                        PG.server().jdbcUrl(PG.server().createDatabase("crm"))));

        CliOutcome validate =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("s").toString());

        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.out())
                .isEqualTo(
                        """
                        Flow validate-graph.shop.lake: shop -> lake
                        OK: 1 table
                          shard_1.orders
                        Flow validate-graph.shop.crm: shop -> hide -> crm
                        OK: 1 table
                          shard_1.orders -> crm.orders
                              id int32 key, email string null, total decimal(10,2) null
                        Nodes (the rows leaving each one):
                          shop (source)
                              shard_1.orders: id int32 key, email string null, total decimal(10,2) null
                          hide (mask)
                              shard_1.orders: id int32 key, email string null, total decimal(10,2) null
                          lake (sink)
                              shard_1.orders: id int32 key, email string null, total decimal(10,2) null
                          crm (sink)
                              crm.orders: id int32 key, email string null, total decimal(10,2) null
                        """);
    }
}
