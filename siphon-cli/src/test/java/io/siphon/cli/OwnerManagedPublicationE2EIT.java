package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.TableId;
import io.siphon.testkit.pg.NonSuperuserSource;
import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-superuser Siphon streaming through a publication its tables' owner manages: Siphon never
 * changes it; a matching table the publication leaves out is named once, with the exact {@code
 * ALTER PUBLICATION} for the owner, by {@code validate} and by the running pipeline, while the
 * other tables keep streaming; once the owner adds it, it is copied and streamed. {@code siphon
 * setup-sql} prints what the owner runs.
 */
class OwnerManagedPublicationE2EIT {

    private static final String PIPELINE = "owner-pub";
    private static final TableId ITEMS = TableId.of("shop", "items");
    private static final TableId AUDIT = TableId.of("shop", "audit");
    private static final TableId ORDERS = TableId.of("shop", "orders");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void aNewTableOutsideTheOwnersPublicationIsNamedWithItsFixAndTakenOnceAdded() throws Exception {
        String source =
                NonSuperuserSource.create(
                        PG.server(),
                        "ownerpub_src",
                        "CREATE TABLE shop.items (id int PRIMARY KEY, name text)",
                        "INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1,"
                                + " 100) g",
                        "CREATE TABLE shop.audit (id int PRIMARY KEY, note text)",
                        "INSERT INTO shop.audit VALUES (1, 'before')",
                        "CREATE PUBLICATION siphon_pub FOR TABLE shop.items");
        String target = PG.server().createDatabase("ownerpub_dst");
        Path spec = spec(source, target);
        Path stateDir = dir.resolve("state");

        CliOutcome setup = siphon("setup-sql", spec.toString());
        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        assertThat(setup.out())
                .contains("\nCREATE ROLE \"siphon\" LOGIN REPLICATION;\n")
                .contains("\nGRANT USAGE ON SCHEMA \"shop\" TO \"siphon\";\n")
                .contains(
                        "\nGRANT SELECT ON \"shop\".\"audit\", \"shop\".\"items\" TO"
                                + " \"siphon\";\n")
                .contains(
                        "\nCREATE PUBLICATION \"siphon_pub\" FOR TABLE \"shop\".\"audit\","
                                + " \"shop\".\"items\" WITH (publish_via_partition_root ="
                                + " true);\n")
                .contains("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE \"" + target + "\"");

        CliOutcome validate =
                siphon("validate", spec.toString(), "--state-dir", stateDir.toString());
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.out())
                .isEqualTo(
                        """
                        OK: 2 tables
                          shop.audit  (left out until fixed, below)
                          shop.items
                        warning: Table shop.audit is not in publication siphon_pub (named by \
                        'publication-name', so Siphon does not change it); the pipeline leaves it \
                        out until then and streams the others
                          fix: let its owner run: ALTER PUBLICATION "siphon_pub" ADD TABLE \
                        "shop"."audit";
                        """);

        Process run = ChildSiphon.run(dir, "run", spec, stateDir);
        try {
            ChildSiphon.awaitStreaming(run, stateDir, PIPELINE, dir, "run");
            Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(90));

            NonSuperuserSource.asOwner(
                    PG.server(),
                    source,
                    "CREATE TABLE shop.orders (id int PRIMARY KEY, item int, qty int)",
                    "GRANT SELECT ON shop.orders TO siphon",
                    "INSERT INTO shop.orders SELECT g, g % 100 + 1, g FROM generate_series(1,"
                            + " 50) g");
            Awaitility.await("the warning about shop.orders")
                    .atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    count(log(stateDir), "Table shop.orders is not in publication")
                                            > 0);
            NonSuperuserSource.asOwner(
                    PG.server(), source, "UPDATE shop.items SET name = 'streamed' WHERE id <= 10");
            Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(90));
            assertThat(run.isAlive()).as(ChildSiphon.output(dir, "run")).isTrue();

            NonSuperuserSource.asOwner(
                    PG.server(),
                    source,
                    "ALTER PUBLICATION siphon_pub ADD TABLE shop.orders, shop.audit",
                    "INSERT INTO shop.orders VALUES (51, 1, 1)",
                    "UPDATE shop.audit SET note = 'after'");
            Equality.awaitEqual(PG.server(), source, target, ORDERS, Duration.ofSeconds(90));
            Equality.awaitEqual(PG.server(), source, target, AUDIT, Duration.ofSeconds(90));
            NonSuperuserSource.asOwner(
                    PG.server(),
                    source,
                    "DELETE FROM shop.orders WHERE id > 40",
                    "INSERT INTO shop.audit VALUES (2, 'streamed')");
            Equality.awaitEqual(PG.server(), source, target, ORDERS, Duration.ofSeconds(90));
            Equality.awaitEqual(PG.server(), source, target, AUDIT, Duration.ofSeconds(90));
            Equality.awaitEqual(PG.server(), source, target, ITEMS, Duration.ofSeconds(90));
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String log = log(stateDir);
        assertThat(count(log, "Table shop.orders is not in publication siphon_pub"))
                .as("named once")
                .isEqualTo(1);
        assertThat(log)
                .contains(
                        "Table shop.orders is not in publication siphon_pub (named by"
                                + " 'publication-name', so Siphon does not change it); let its"
                                + " owner run: ALTER PUBLICATION \"siphon_pub\" ADD TABLE"
                                + " \"shop\".\"orders\"; until then pipeline "
                                + PIPELINE
                                + " leaves it out")
                .doesNotContain("PERMISSION_DENIED");
        assertThat(
                        query(
                                source,
                                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM"
                                        + " pg_publication_tables WHERE pubname = 'siphon_pub'"))
                .as("the publication is as its owner left it")
                .isEqualTo("audit,items,orders");
    }

    private Path spec(String source, String target) throws Exception {
        return Files.writeString(
                dir.resolve("pipeline.yaml"),
                """
                name: %s
                source:
                  type: postgres
                  url: %s
                  user: siphon
                  tables: ["shop.*"]
                  publication-name: siphon_pub
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                mode: snapshot+cdc
                parallelism: 2
                checkpoint-interval: 200ms
                discovery-interval: 1s
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target)));
    }

    private static String log(Path stateDir) throws Exception {
        Path file = stateDir.resolve("siphon.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String query(String db, String sql) throws Exception {
        try (Connection c = PG.server().connect(db);
                var s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
