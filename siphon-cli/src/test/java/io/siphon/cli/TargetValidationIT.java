package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.testkit.pg.NonSuperuserSource;
import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon validate} checks the tables that already exist at the target, all at once and each
 * with its fix, before any row moves: missing columns, narrower types, NOT NULL columns without a
 * default that the pipeline would leave empty, a missing key.
 */
class TargetValidationIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void validateListsEveryMismatchOfExistingTargetTablesWithItsFixAndRunMovesNoRow()
            throws Exception {
        String source =
                NonSuperuserSource.create(
                        PG.server(),
                        "target_src",
                        "CREATE TABLE shop.orders (id bigint PRIMARY KEY, name varchar(100),"
                                + " total numeric(12,2), note text)",
                        "INSERT INTO shop.orders VALUES (1, 'first', 10.50, 'n')",
                        "CREATE TABLE shop.items (id int PRIMARY KEY, qty int)",
                        "INSERT INTO shop.items VALUES (1, 2)");
        String target = PG.server().createDatabase("target_dst");
        PG.server()
                .execute(
                        target,
                        "CREATE SCHEMA shop",
                        "CREATE TABLE shop.orders (id bigint, name varchar(20), total"
                                + " numeric(8,2), region int NOT NULL)",
                        "CREATE TABLE shop.items (id int PRIMARY KEY, qty bigint)");
        Path spec =
                Files.writeString(
                        dir.resolve("pipeline.yaml"),
                        """
                        name: target-check
                        source:
                          type: postgres
                          url: %s
                          user: siphon
                          tables: [shop.orders, shop.items]
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                        """
                                .formatted(
                                        PG.server().jdbcUrl(source), PG.server().jdbcUrl(target)));
        Path stateDir = dir.resolve("state");

        CliOutcome validate =
                siphon("validate", spec.toString(), "--state-dir", stateDir.toString());

        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.err())
                .isEqualTo(
                        """
                        error [SCHEMA_MISMATCH]: Table shop.orders at the target lacks the columns \
                        [note] of source table shop.orders
                          fix: Run: ALTER TABLE "shop"."orders" ADD COLUMN "note" text;
                        error [SCHEMA_MISMATCH]: Column name of target table shop.orders is \
                        character varying(20), narrower than character varying(100) at source \
                        table shop.orders, so a value may not fit
                          fix: Run: ALTER TABLE "shop"."orders" ALTER COLUMN "name" TYPE \
                        character varying(100);
                        error [SCHEMA_MISMATCH]: Column total of target table shop.orders is \
                        numeric(8,2), narrower than numeric(12,2) at source table shop.orders, so \
                        a value may not fit
                          fix: Run: ALTER TABLE "shop"."orders" ALTER COLUMN "total" TYPE \
                        numeric(12,2);
                        error [SCHEMA_MISMATCH]: Table shop.orders at the target has NOT NULL \
                        columns [region] without a default that source table shop.orders does not \
                        have, so every row the pipeline inserts would fail
                          fix: Run: ALTER TABLE "shop"."orders" ALTER COLUMN "region" DROP NOT \
                        NULL; (or give them a default with ALTER COLUMN ... SET DEFAULT)
                        error [SCHEMA_MISMATCH]: Table shop.orders at the target has no primary \
                        key or unique index on [id], the key of source table shop.orders, which \
                        upserts need
                          fix: Run: ALTER TABLE "shop"."orders" ADD PRIMARY KEY ("id");
                        5 problems in %s
                        """
                                .formatted(spec));

        CliOutcome json =
                siphon("validate", spec.toString(), "--state-dir", stateDir.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.out())
                .startsWith(
                        "{\"pipeline\":\"target-check\",\"ok\":false,\"problems\":[{\"code\":"
                                + "\"SCHEMA_MISMATCH\",\"message\":\"Table shop.orders at the"
                                + " target lacks the columns [note] of source table shop.orders\","
                                + "\"fix\":");

        CliOutcome run = siphon("run", spec.toString(), "--state-dir", stateDir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).startsWith("error [SCHEMA_MISMATCH]: 5 problems:");
        assertThat(count(target, "SELECT count(*) FROM shop.orders")).isZero();
        assertThat(count(target, "SELECT count(*) FROM shop.items")).isZero();
    }

    private static long count(String db, String sql) throws Exception {
        try (Connection c = PG.server().connect(db);
                var s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
