package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static io.siphon.cli.CliOutcome.siphonWithInput;
import static io.siphon.cli.ClientAssertions.assertFailed;
import static io.siphon.cli.ClientAssertions.assertPrints;
import static io.siphon.cli.ClientAssertions.closedPort;
import static io.siphon.cli.ClientAssertions.json;
import static io.siphon.cli.ClientAssertions.second;
import static io.siphon.cli.SiphonServerExtension.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code siphon connections} and {@code siphon pipelines} against a real server and real
 * PostgreSQL: two connections, a snapshot+CDC pipeline from a YAML file through its whole life, and
 * the messages of refusals and failed checks.
 */
class ClientPipelinesIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final SiphonServerExtension SERVER = new SiphonServerExtension();

    private static final TableId ITEMS = TableId.of("public", "items");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PG_PASSWORD = "pg-secret-never-shown";

    @TempDir Path dir;

    @Test
    void aPipelineRunsFromCreateToDelete() throws IOException, SQLException {
        String sourceDb = PG.server().createDatabase("cli_src");
        String targetDb = PG.server().createDatabase("cli_dst");
        PG.server()
                .execute(
                        sourceDb,
                        "CREATE TABLE items (id int PRIMARY KEY, name text)",
                        "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 500) g");
        SERVER.login("admin", ADMIN_PASSWORD);

        assertPrints(
                siphonWithInput(
                        PG_PASSWORD,
                        "connections",
                        "create",
                        "src",
                        "--type",
                        "postgres",
                        "--set",
                        "url=" + PG.server().jdbcUrl(sourceDb),
                        "--set",
                        "user=postgres",
                        "--password-stdin"),
                "Created connection src (postgres); siphon connections test src checks it.");
        Path dstFile =
                Files.writeString(
                        dir.resolve("dst.yaml"),
                        "type: postgres\nurl: %s\nuser: postgres\n"
                                .formatted(PG.server().jdbcUrl(targetDb)));
        assertPrints(
                siphon("connections", "create", "dst", "-f", dstFile.toString()),
                "Created connection dst (postgres); siphon connections test dst checks it.");

        for (String[] shows :
                new String[][] {
                    {"connections", "get", "src"},
                    {"connections", "get", "src", "--json"},
                    {"connections", "list", "--json"}
                }) {
            assertThat(siphon(shows).all()).doesNotContain(PG_PASSWORD);
        }
        JsonNode src = json(siphon("connections", "get", "src", "--json"));
        assertThat(src.get("secrets").get(0).asString()).isEqualTo("password");
        assertThat(src.get("config").has("password")).isFalse();
        assertPrints(
                siphon("connections", "get", "src"),
                "src (postgres), created "
                        + second(src, "createdAt")
                        + " by admin, updated "
                        + second(src, "updatedAt"),
                "  url: " + PG.server().jdbcUrl(sourceDb),
                "  user: postgres",
                "  password: (secret, stored)");
        JsonNode dst = json(siphon("connections", "get", "dst", "--json"));
        String urlWidth = "%-" + PG.server().jdbcUrl(targetDb).length() + "s";
        assertPrints(
                siphon("connections", "list"),
                String.format("name  type      " + urlWidth + "  updated               by", "url"),
                "-".repeat(45 + PG.server().jdbcUrl(targetDb).length()),
                "dst   postgres  "
                        + PG.server().jdbcUrl(targetDb)
                        + "  "
                        + second(dst, "updatedAt")
                        + "  admin",
                "src   postgres  "
                        + String.format(urlWidth, PG.server().jdbcUrl(sourceDb))
                        + "  "
                        + second(src, "updatedAt")
                        + "  admin");
        assertPrints(
                siphon("connections", "test", "src", "--usage", "cdc"),
                "OK: connection src works.");
        assertPrints(
                siphon("connections", "tables", "src"),
                "table         primary key  columns",
                "----------------------------------",
                "public.items  id           2");

        Path spec =
                Files.writeString(
                        dir.resolve("pipeline.yaml"),
                        """
                        name: cli-flow
                        source:
                          connection: src
                          tables: [public.items]
                          heartbeat-interval: 1s
                        sink:
                          connection: dst
                        mode: snapshot+cdc
                        """);
        assertPrints(
                siphon("pipelines", "validate", "-f", spec.toString()),
                "OK: 1 table",
                "  public.items");
        assertPrints(
                siphon("pipelines", "create", "-f", spec.toString()),
                "Created pipeline cli-flow; siphon pipelines start cli-flow starts it.");
        assertPrints(
                siphon("pipelines", "start", "cli-flow"),
                "Starting pipeline cli-flow; siphon pipelines status cli-flow shows its progress.");
        Awaitility.await("the pipeline streams")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                json(siphon("pipelines", "status", "cli-flow", "--json"))
                                        .path("phase")
                                        .asString()
                                        .equals("STREAMING"));
        awaitEqual(sourceDb, targetDb);

        PG.server()
                .execute(
                        sourceDb,
                        "INSERT INTO items VALUES (501, 'new')",
                        "UPDATE items SET name = 'changed' WHERE id <= 2",
                        "DELETE FROM items WHERE id BETWEEN 10 AND 12");
        awaitEqual(sourceDb, targetDb);
        Awaitility.await("the status counts the changes")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                siphon("pipelines", "status", "cli-flow")
                                        .out()
                                        .contains(
                                                "\n  public.items  500 rows  chunks 1/1  changes: 1"
                                                        + " insert, 2 updates, 3 deletes, 0"
                                                        + " truncates\n"));
        CliOutcome status = siphon("pipelines", "status", "cli-flow");
        assertThat(status.out().lines().toList())
                .hasSize(4)
                .satisfies(
                        lines -> {
                            assertThat(lines.get(0))
                                    .startsWith("cli-flow  running  streaming  (run time ");
                            assertThat(lines.get(2)).startsWith("  stream: read 0/");
                            assertThat(lines.get(3)).contains(" events/s, latency p50 ");
                        });

        assertFailed(
                siphon("connections", "delete", "src"),
                "error [STATE_CONFLICT]: connection 'src' is used by the pipelines [cli-flow];"
                        + " delete them or point them at another connection first");
        assertFailed(
                siphon("pipelines", "delete", "cli-flow"),
                "error [STATE_CONFLICT]: pipeline 'cli-flow' is running and cannot be deleted;"
                        + " stop it first");
        assertPrints(
                siphon("pipelines", "stop", "cli-flow"), "Stopped pipeline cli-flow (stopped).");
        JsonNode run = json(siphon("pipelines", "runs", "cli-flow", "--json")).get(0);
        assertPrints(
                siphon("pipelines", "runs", "cli-flow"),
                "run  status   cause  by     started               ended                 rows "
                        + " events  error",
                "-".repeat(91),
                "1    stopped  user   admin  "
                        + second(run, "startedAt")
                        + "  "
                        + second(run, "endedAt")
                        + "  500   6       -");
        assertPrints(
                siphon("pipelines", "resnapshot", "cli-flow"),
                "Pipeline cli-flow copies its tables again at its next start; siphon pipelines"
                        + " start cli-flow starts it.");
        assertThat(itemsIn(targetDb)).as("the target is emptied").isZero();
        assertPrints(siphon("pipelines", "delete", "cli-flow"), "Deleted pipeline cli-flow.");
        assertFailed(
                siphon("pipelines", "get", "cli-flow"),
                "error [NOT_FOUND]: pipeline 'cli-flow' does not exist");
        assertPrints(siphon("connections", "delete", "src"), "Deleted connection src.");
        assertPrints(siphon("connections", "delete", "dst"), "Deleted connection dst.");
    }

    @Test
    void aTableIsReSnapshottedThroughTheServerWhileThePipelineStreams() throws IOException {
        String sourceDb = PG.server().createDatabase("cli_rs_src");
        String targetDb = PG.server().createDatabase("cli_rs_dst");
        PG.server()
                .execute(
                        sourceDb,
                        "CREATE TABLE items (id int PRIMARY KEY, name text)",
                        "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3000) g");
        SERVER.login("admin", ADMIN_PASSWORD);
        for (String[] connection : new String[][] {{"rs-src", sourceDb}, {"rs-dst", targetDb}}) {
            Path file =
                    Files.writeString(
                            dir.resolve(connection[0] + ".yaml"),
                            "type: postgres\nurl: %s\nuser: postgres\n"
                                    .formatted(PG.server().jdbcUrl(connection[1])));
            assertThat(
                            siphon("connections", "create", connection[0], "-f", file.toString())
                                    .exitCode())
                    .isZero();
        }
        Path spec =
                Files.writeString(
                        dir.resolve("rs.yaml"),
                        """
                        name: cli-resnapshot
                        source:
                          connection: rs-src
                          tables: [public.items]
                          heartbeat-interval: 1s
                        sink:
                          connection: rs-dst
                        mode: snapshot+cdc
                        chunk-rows: 500
                        """);
        assertThat(siphon("pipelines", "create", "-f", spec.toString()).exitCode()).isZero();
        assertThat(siphon("pipelines", "start", "cli-resnapshot").exitCode()).isZero();
        Awaitility.await("the pipeline streams")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                json(siphon("pipelines", "status", "cli-resnapshot", "--json"))
                                        .path("phase")
                                        .asString()
                                        .equals("STREAMING"));
        awaitEqual(sourceDb, targetDb);
        // Rows only a copy repairs: removed at the target behind the pipeline's back.
        PG.server().execute(targetDb, "DELETE FROM items WHERE id % 3 = 0");

        assertPrints(
                siphon("pipelines", "resnapshot", "cli-resnapshot", "--table", "public.items"),
                "Pipeline cli-resnapshot copies public.items again while it streams; siphon"
                        + " pipelines status cli-resnapshot shows the progress.");
        PG.server().execute(sourceDb, "UPDATE items SET name = 'during' WHERE id <= 10");
        awaitEqual(sourceDb, targetDb);
        assertFailed(
                siphon("pipelines", "resnapshot", "cli-resnapshot", "--table", "public.nope"),
                "error [TABLE_NOT_FOUND]: table public.nope is not among the tables of pipeline"
                        + " cli-resnapshot (its source 'tables' and 'exclude-tables' do not take"
                        + " it); name a table the pipeline streams");
        assertPrints(
                siphon("pipelines", "stop", "cli-resnapshot"),
                "Stopped pipeline cli-resnapshot (stopped).");
        assertThat(siphon("pipelines", "delete", "cli-resnapshot").exitCode()).isZero();
        assertThat(siphon("connections", "delete", "rs-src").exitCode()).isZero();
        assertThat(siphon("connections", "delete", "rs-dst").exitCode()).isZero();
    }

    @Test
    void updateKeepsTheStoredSecretUnlessWhereTheConnectionGoesChanges() {
        SERVER.login("admin", ADMIN_PASSWORD);
        String db = PG.server().createDatabase("cli_update");
        assertThat(
                        siphonWithInput(
                                        PG_PASSWORD,
                                        "connections",
                                        "create",
                                        "kept",
                                        "--type",
                                        "postgres",
                                        "--set",
                                        "url=" + PG.server().jdbcUrl(db),
                                        "--password-stdin")
                                .exitCode())
                .isZero();

        assertPrints(
                siphon("connections", "update", "kept", "--set", "connect-timeout=5s"),
                "Updated connection kept.");
        assertThat(
                        json(siphon("connections", "get", "kept", "--json"))
                                .get("secrets")
                                .get(0)
                                .asString())
                .isEqualTo("password");

        assertFailed(
                siphon("connections", "update", "kept", "--set", "user=postgres"),
                "error [CONFIG_MISSING_KEY]: config: changing user of connection 'kept' changes"
                        + " where its stored secrets would be sent; send password again with the"
                        + " change");
        assertPrints(
                siphonWithInput(
                        PG_PASSWORD,
                        "connections",
                        "update",
                        "kept",
                        "--set",
                        "user=postgres",
                        "--password-stdin"),
                "Updated connection kept.");

        JsonNode kept = json(siphon("connections", "get", "kept", "--json"));
        assertThat(kept.get("config").get("user").asString()).isEqualTo("postgres");
        assertThat(kept.get("config").get("url").asString()).isEqualTo(PG.server().jdbcUrl(db));
        assertThat(kept.get("secrets").get(0).asString()).isEqualTo("password");
        assertThat(siphon("connections", "delete", "kept").exitCode()).isZero();
    }

    @Test
    void aConnectionThatCannotConnectPrintsItsProblemsAndFails() throws IOException {
        SERVER.login("admin", ADMIN_PASSWORD);
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/nowhere";
        assertThat(
                        siphon(
                                        "connections",
                                        "create",
                                        "gone",
                                        "--type",
                                        "postgres",
                                        "--set",
                                        "url=" + url)
                                .exitCode())
                .isZero();

        CliOutcome test = siphon("connections", "test", "gone");

        assertThat(test.exitCode()).as(test.toString()).isEqualTo(SiphonCli.EXIT_FAILED);
        assertThat(test.out()).isEmpty();
        assertThat(test.err().lines().toList())
                .satisfies(
                        lines -> {
                            assertThat(lines.get(0)).startsWith("error [CONNECTION_FAILED]: ");
                            assertThat(lines.get(1)).startsWith("  fix: ");
                            assertThat(lines).last().isEqualTo("1 problem with connection gone");
                        });
        CliOutcome testJson = siphon("connections", "test", "gone", "--json");
        assertThat(testJson.exitCode()).isEqualTo(SiphonCli.EXIT_FAILED);
        JsonNode result = JSON.readTree(testJson.out());
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("problems").get(0).get("code").asString())
                .isEqualTo("CONNECTION_FAILED");
        assertThat(siphon("connections", "delete", "gone").exitCode()).isZero();
    }

    @Test
    void everyProblemOfASpecIsListed() throws IOException {
        SERVER.login("admin", ADMIN_PASSWORD);
        Path spec =
                Files.writeString(
                        dir.resolve("typo.yaml"),
                        """
                        name: typo
                        source:
                          connection: typo-src
                          tabels: [public.items]
                        sink:
                          connection: typo-dst
                        """);

        assertFailed(
                siphon("pipelines", "create", "-f", spec.toString()),
                "error [CONFIG_INVALID_VALUE]: source.connection: there is no connection named"
                        + " 'typo-src'; list the connections with GET /api/v1/connections, or"
                        + " create it with POST /api/v1/connections\n"
                        + "  sink.connection: there is no connection named 'typo-dst'; list the"
                        + " connections with GET /api/v1/connections, or create it with POST"
                        + " /api/v1/connections");

        for (String name : new String[] {"typo-src", "typo-dst"}) {
            assertThat(
                            siphon(
                                            "connections",
                                            "create",
                                            name,
                                            "--type",
                                            "postgres",
                                            "--set",
                                            "url=jdbc:postgresql://127.0.0.1/none")
                                    .exitCode())
                    .isZero();
        }
        CliOutcome typo = siphon("pipelines", "validate", "-f", spec.toString());
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(SiphonCli.EXIT_FAILED);
        assertThat(typo.err())
                .startsWith("error [CONFIG_UNKNOWN_KEY]: ")
                .contains("unknown key 'tabels': did you mean 'tables'?");
        assertThat(siphon("connections", "delete", "typo-src").exitCode()).isZero();
        assertThat(siphon("connections", "delete", "typo-dst").exitCode()).isZero();
    }

    @Test
    void aViewerReadsButMayNotChangeConnections() {
        SERVER.login("admin", ADMIN_PASSWORD);
        assertThat(
                        siphonWithInput(
                                        "victor-secret-1",
                                        "users",
                                        "create",
                                        "victor",
                                        "--password-stdin")
                                .exitCode())
                .isZero();
        SERVER.login("victor", "victor-secret-1");

        assertThat(siphon("connections", "list").exitCode()).isZero();
        assertFailed(
                siphon("connections", "create", "x", "--type", "postgres", "--set", "url=jdbc:x"),
                "error [ACCESS_DENIED]: your role (viewer) may not create connections; ask an"
                        + " admin for a stronger role");
        assertFailed(
                siphon("pipelines", "start", "anything"),
                "error [ACCESS_DENIED]: your role (viewer) may not start pipeline anything; ask an"
                        + " admin for a stronger role");
        SERVER.login("admin", ADMIN_PASSWORD);
        assertThat(siphon("users", "delete", "victor").exitCode()).isZero();
    }

    private static long itemsIn(String database) throws SQLException {
        try (Connection c = PG.server().connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitEqual(String sourceDb, String targetDb) {
        Awaitility.await("target equal to source")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            try (Connection from = PG.server().connect(sourceDb);
                                    Connection to = PG.server().connect(targetDb)) {
                                return TableComparator.compare(from, ITEMS, to, ITEMS).equal();
                            }
                        });
    }
}
