package io.siphon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The server's API over real HTTP against real databases; run once per metadata store by its
 * subclasses. The secret test runs last, so that everything the other tests made the server answer,
 * log and store is checked for the connection password.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServerApiSuite extends ServerSuite {

    private static final TableId ITEMS = TableId.of("public", "items");
    private final List<String> answers = new ArrayList<>();

    /** Reads the metadata store's raw content, to prove the secret is not in it in plain text. */
    abstract String metadataContent() throws Exception;

    Http.Answer seen(Http.Answer answer) {
        answers.add(answer.body());
        return answer;
    }

    @Test
    @Order(1)
    void snapshotAndCdcPipelineRunsThroughTheApi() throws Exception {
        String sourceDb = source.createDatabase("flow_src");
        String targetDb = target.createDatabase("flow_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2))",
                "INSERT INTO items SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 2000)"
                        + " g");
        String src = createConnection(source, sourceDb);
        String dst = createConnection(target, targetDb);

        Http.Answer test = seen(admin.post("/api/v1/connections/" + src + "/test?usage=cdc", null));
        assertThat(test.status()).as(test.toString()).isEqualTo(200);
        assertThat(test.json().get("ok").asBoolean()).as(test.toString()).isTrue();
        Http.Answer sinkTest =
                seen(admin.post("/api/v1/connections/" + dst + "/test?usage=sink", null));
        assertThat(sinkTest.json().get("ok").asBoolean()).as(sinkTest.toString()).isTrue();

        Http.Answer tables = seen(admin.get("/api/v1/connections/" + src + "/tables"));
        assertThat(tables.status()).isEqualTo(200);
        JsonNode items = tables.json().get(0);
        assertThat(items.get("name").asString()).isEqualTo("items");
        assertThat(items.get("primaryKey").get(0).asString()).isEqualTo("id");
        assertThat(items.get("columns").findValuesAsString("nativeType"))
                .containsExactly("integer", "text", "numeric(10,2)");

        String pipeline = unique("flow");
        String yaml =
                """
                name: %s
                source:
                  connection: %s
                  tables: [public.items]
                  heartbeat-interval: 1s
                sink:
                  connection: %s
                mode: snapshot+cdc
                """
                        .formatted(pipeline, src, dst);
        Http.Answer created =
                seen(admin.send("POST", "/api/v1/pipelines", yaml, "application/yaml"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("state").asString()).isEqualTo("STOPPED");

        Http.Answer validated =
                seen(admin.post("/api/v1/pipelines/" + pipeline + "/validate", null));
        assertThat(validated.json().get("ok").asBoolean()).as(validated.toString()).isTrue();
        assertThat(validated.json().get("tables").get(0).asString()).isEqualTo("public.items");
        // What the UI draws: each table's target and its schema after the (here no) transforms.
        assertThat(validated.json().get("flows").get(0).get("target").asString())
                .isEqualTo("public.items");
        assertThat(
                        validated
                                .json()
                                .get("flows")
                                .get(0)
                                .get("output")
                                .get("columns")
                                .get(0)
                                .get("name")
                                .asString())
                .isEqualTo("id");

        Http.Answer started = seen(admin.post("/api/v1/pipelines/" + pipeline + "/start", null));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        awaitPhase(pipeline, "STREAMING");
        awaitEqual(sourceDb, targetDb, List.of(ITEMS));

        source.execute(
                sourceDb,
                "INSERT INTO items VALUES (5001, 'new', 1.00)",
                "UPDATE items SET price = price + 1 WHERE id <= 10",
                "DELETE FROM items WHERE id BETWEEN 100 AND 109");
        awaitEqual(sourceDb, targetDb, List.of(ITEMS));

        Awaitility.await("status counts the changes")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonNode status =
                                    seen(admin.get("/api/v1/pipelines/" + pipeline + "/status"))
                                            .json();
                            assertThat(status.get("state").asString()).isEqualTo("RUNNING");
                            JsonNode table = status.get("tables").get(0);
                            assertThat(table.get("source").asString()).isEqualTo("public.items");
                            assertThat(table.get("rowsWritten").asLong()).isEqualTo(2000);
                            assertThat(table.get("events").get("insert").asLong()).isEqualTo(1);
                            assertThat(table.get("events").get("update").asLong()).isEqualTo(10);
                            assertThat(table.get("events").get("delete").asLong()).isEqualTo(10);
                            JsonNode stream = status.get("stream");
                            assertThat(stream.get("acknowledgedPosition").asString()).isNotBlank();
                            assertThat(stream.get("latencyP99Millis").asLong()).isNotNegative();
                        });

        Awaitility.await("prometheus shows the pipeline")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            String metrics = admin.get("/actuator/prometheus").body();
                            assertThat(metrics)
                                    .contains(
                                            "siphon_pipeline_running{pipeline=\""
                                                    + pipeline
                                                    + "\"} 1")
                                    .contains(
                                            "siphon_table_rows_written{pipeline=\""
                                                    + pipeline
                                                    + "\",table=\"public.items\"} 2000")
                                    .contains(
                                            "siphon_table_events{op=\"delete\",pipeline=\""
                                                    + pipeline
                                                    + "\",table=\"public.items\"} 10")
                                    .contains(
                                            "siphon_pipeline_lag_seconds{pipeline=\""
                                                    + pipeline
                                                    + "\",quantile=\"0.99\"}");
                        });

        Http.Answer health = Http.anonymous(server.url()).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("db").get("status").asString())
                .isEqualTo("UP");
        assertThat(health.json().get("components").get("pipelines").has("details")).isFalse();
        JsonNode pipelinesHealth =
                admin.get("/actuator/health").json().get("components").get("pipelines");
        assertThat(pipelinesHealth.get("details").get("running").get(0).asString())
                .isEqualTo(pipeline);

        JsonNode openapi = admin.get("/api/v1/openapi.json").json();
        assertThat(openapi.get("paths").propertyNames())
                .contains(
                        "/api/v1/connections/{name}/test",
                        "/api/v1/pipelines/{name}/start",
                        "/api/v1/pipelines/{name}/status",
                        "/api/v1/users");

        Http.Answer running = seen(admin.put("/api/v1/pipelines/" + pipeline, Map.of()));
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.json().get("code").asString()).isEqualTo("STATE_CONFLICT");
        assertThat(seen(admin.delete("/api/v1/pipelines/" + pipeline)).status()).isEqualTo(409);
        assertThat(seen(admin.delete("/api/v1/connections/" + src)).status()).isEqualTo(409);

        Http.Answer stopped = seen(admin.post("/api/v1/pipelines/" + pipeline + "/stop", null));
        assertThat(stopped.json().get("state").asString())
                .as(stopped.toString())
                .isEqualTo("STOPPED");
        JsonNode runs = seen(admin.get("/api/v1/pipelines/" + pipeline + "/runs")).json();
        assertThat(runs.get(0).get("status").asString()).isEqualTo("STOPPED");
        assertThat(runs.get(0).get("cause").asString()).isEqualTo("USER");
        assertThat(runs.get(0).get("startedBy").asString()).isEqualTo("admin");
        assertThat(runs.get(0).get("rowsWritten").asLong()).isEqualTo(2000);
        assertThat(runs.get(0).get("events").asLong()).isEqualTo(21);
        assertThat(slots(sourceDb)).containsExactly("siphon_" + pipeline.replace('-', '_'));

        assertThat(admin.delete("/api/v1/pipelines/" + pipeline).status()).isEqualTo(204);
        assertThat(slots(sourceDb)).isEmpty();
        assertThat(admin.get("/api/v1/pipelines/" + pipeline).status()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/connections/" + src).status()).isEqualTo(204);

        JsonNode audit = admin.get("/api/v1/audit?limit=500").json();
        assertThat(audit.findValuesAsString("path"))
                .contains("/api/v1/pipelines/" + pipeline + "/start", "/api/v1/connections/" + src);
        assertThat(audit.get(0).get("username").asString()).isEqualTo("admin");
        assertThat(audit.get(0).get("remoteAddress").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    @Order(2)
    void invalidSpecsListEveryProblem() {
        String dst = createConnection(target, "postgres");
        Http.Answer answer =
                seen(
                        admin.post(
                                "/api/v1/pipelines",
                                Map.of(
                                        "name",
                                        "bad",
                                        "source",
                                        Map.of("connection", "nowhere", "password", "x"),
                                        "sink",
                                        Map.of("connection", dst, "tabels", "x"))));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("code").asString()).isEqualTo("CONFIG_INVALID_VALUE");
        assertThat(answer.json().get("errors").findValuesAsString("message"))
                .containsExactly(
                        "source.connection: there is no connection named 'nowhere'; list the"
                                + " connections with GET /api/v1/connections, or create it with"
                                + " POST /api/v1/connections");

        Http.Answer typo =
                admin.post(
                        "/api/v1/pipelines",
                        Map.of(
                                "name",
                                "bad",
                                "source",
                                Map.of("connection", dst, "tabels", List.of("x")),
                                "sink",
                                Map.of("connection", dst, "password", "x"),
                                "mode",
                                "sometimes"));
        assertThat(typo.status()).as(typo.toString()).isEqualTo(400);
        assertThat(typo.json().get("errors").findValuesAsString("message"))
                .containsExactly(
                        "sink.password: secrets are not allowed in a pipeline spec; they belong to"
                                + " the connection, where they are stored encrypted");

        Http.Answer engineErrors =
                admin.post(
                        "/api/v1/pipelines",
                        Map.of(
                                "name",
                                "bad",
                                "source",
                                Map.of("connection", dst, "tabels", List.of("x")),
                                "sink",
                                Map.of("connection", dst),
                                "mode",
                                "sometimes"));
        assertThat(engineErrors.status()).as(engineErrors.toString()).isEqualTo(400);
        assertThat(engineErrors.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("mode", "source.tabels");
        List<String> messages = engineErrors.json().get("errors").findValuesAsString("message");
        assertThat(messages)
                .hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("'mode'").contains("sometimes"))
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains("unknown key 'tabels'")
                                        .contains("did you mean 'tables'?"));

        Http.Answer badRole =
                admin.post(
                        "/api/v1/users",
                        Map.of("username", "x", "password", "long-enough", "role", "king"));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("code").asString()).isEqualTo("CONFIG_INVALID_VALUE");
        assertThat(badRole.json().get("detail").asString())
                .isEqualTo("role 'king' does not exist; use one of [admin, operator, viewer]");

        Http.Answer unknownConnection = admin.get("/api/v1/connections/nowhere");
        assertThat(unknownConnection.status()).isEqualTo(404);
        assertThat(unknownConnection.json().get("code").asString()).isEqualTo("NOT_FOUND");

        Http.Answer badConnection =
                admin.post(
                        "/api/v1/connections",
                        Map.of("name", "x", "type", "postgres", "config", Map.of("usr", "a")));
        assertThat(badConnection.status()).isEqualTo(400);
        assertThat(badConnection.json().get("errors").findValuesAsString("field"))
                .containsExactly("config.usr", "config.url");
        assertThat(badConnection.json().get("errors").findValuesAsString("message"))
                .containsExactly(
                        "config.usr: unknown key 'usr': did you mean 'user'?",
                        "config.url: missing required key 'url': "
                                + badConnection
                                        .json()
                                        .get("errors")
                                        .get(1)
                                        .get("message")
                                        .asString()
                                        .substring(
                                                "config.url: missing required key 'url': "
                                                        .length()));
        assertThat(admin.delete("/api/v1/connections/" + dst).status()).isEqualTo(204);
    }

    @Test
    @Order(2)
    void unionGraphOfTwoSourcesRunsThroughTheApiPerFlow() throws Exception {
        String euDb = source.createDatabase("graph_eu");
        String usDb = source.createDatabase("graph_us");
        String dwDb = target.createDatabase("graph_dw");
        for (String db : List.of(euDb, usDb)) {
            source.execute(
                    db,
                    "CREATE TABLE orders (id int PRIMARY KEY, amount int)",
                    "INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, "
                            + (db.equals(euDb) ? 30 : 20)
                            + ") g");
        }
        String eu = createConnection(source, euDb);
        String us = createConnection(source, usDb);
        String dw = createConnection(target, dwDb);
        String pipeline = unique("union");
        String yaml =
                """
                name: %s
                mode: snapshot+cdc
                nodes:
                  - id: eu
                    source: { connection: %s, tables: [public.orders], heartbeat-interval: 1s }
                  - id: us
                    source: { connection: %s, tables: [public.orders], heartbeat-interval: 1s }
                  - id: merged
                    union: { source-column: region }
                  - id: dw
                    sink: { connection: %s }
                edges:
                  - { from: eu, to: merged }
                  - { from: us, to: merged }
                  - { from: merged, to: dw }
                """
                        .formatted(pipeline, eu, us, dw);
        Http.Answer created =
                seen(admin.send("POST", "/api/v1/pipelines", yaml, "application/yaml"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("state").asString()).isEqualTo("STOPPED");

        Http.Answer validated =
                seen(admin.post("/api/v1/pipelines/" + pipeline + "/validate", null));
        assertThat(validated.json().get("ok").asBoolean()).as(validated.toString()).isTrue();
        JsonNode nodes = validated.json().get("nodes");
        assertThat(nodes.findValuesAsString("node")).containsExactly("eu", "us", "merged", "dw");
        assertThat(nodes.findValuesAsString("kind"))
                .containsExactly("source", "source", "union", "sink");
        assertThat(nodes.get(0).get("tables").get(0).get("columns").findValuesAsString("name"))
                .containsExactly("id", "amount");
        JsonNode dwTable = nodes.get(3).get("tables").get(0);
        assertThat(dwTable.get("table").asString()).isEqualTo("public.orders");
        assertThat(dwTable.get("columns").findValuesAsString("name"))
                .containsExactlyInAnyOrder("id", "amount", "region");
        assertThat(dwTable.get("key").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("id", "region");
        assertThat(validated.json().get("flows").findValuesAsString("flow"))
                .containsExactly(pipeline + ".eu.dw", pipeline + ".us.dw");

        Http.Answer started = seen(admin.post("/api/v1/pipelines/" + pipeline + "/start", null));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        awaitPhase(pipeline, "STREAMING");
        source.execute(euDb, "INSERT INTO orders VALUES (31, 310)");
        source.execute(
                usDb,
                "DELETE FROM orders WHERE id = 1",
                "UPDATE orders SET amount = 0" + " WHERE id = 2");
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 31; id++) {
            expected.add("eu " + id + " " + id * 10);
        }
        for (int id = 2; id <= 20; id++) {
            expected.add("us " + id + " " + (id == 2 ? 0 : id * 10));
        }
        Awaitility.await("union target exact")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(unionRows(dwDb)).isEqualTo(expected));

        Awaitility.await("status per flow")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonNode status =
                                    seen(admin.get("/api/v1/pipelines/" + pipeline + "/status"))
                                            .json();
                            assertThat(status.get("state").asString()).isEqualTo("RUNNING");
                            assertThat(status.get("rowsWritten").asLong()).isEqualTo(50);
                            JsonNode flows = status.get("flows");
                            assertThat(flows.findValuesAsString("name"))
                                    .containsExactly(pipeline + ".eu.dw", pipeline + ".us.dw");
                            assertThat(flows.valueStream().map(f -> f.get("source").asString()))
                                    .containsExactly("eu", "us");
                            assertThat(flows.findValuesAsString("phase"))
                                    .containsExactly("STREAMING", "STREAMING");
                            assertThat(flows.get(0).get("rowsWritten").asLong()).isEqualTo(30);
                            assertThat(flows.get(1).get("rowsWritten").asLong()).isEqualTo(20);
                            JsonNode usEvents = flows.get(1).get("tables").get(0).get("events");
                            assertThat(usEvents.get("delete").asLong()).isEqualTo(1);
                            assertThat(usEvents.get("update").asLong()).isEqualTo(1);
                        });
        JsonNode listed = admin.get("/api/v1/pipelines/" + pipeline).json();
        assertThat(listed.get("state").asString()).isEqualTo("RUNNING");
        // A connection that only a graph's second source names is in use all the same.
        assertThat(seen(admin.delete("/api/v1/connections/" + us)).status()).isEqualTo(409);
        // A per-table copy starts by emptying the target, which the union's other flow writes too.
        Http.Answer some =
                admin.post(
                        "/api/v1/pipelines/" + pipeline + "/resnapshot",
                        Map.of("tables", List.of("public.orders"), "flow", pipeline + ".us.dw"));
        assertThat(some.status()).as(some.toString()).isEqualTo(400);
        assertThat(some.json().get("detail").asString())
                .startsWith(
                        "flow "
                                + pipeline
                                + ".us.dw writes target tables that other flows of the union"
                                + " write too");

        // The preview reads each source that has the table once; the union gets the rows of both
        // (in the order the source reads them: the updated row 2 last).
        Http.Answer preview =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines/preview?table=public.orders&limit=2",
                                yaml,
                                "application/yaml"));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("flows").findValuesAsString("flow"))
                .containsExactly(pipeline + ".eu.dw", pipeline + ".us.dw");
        JsonNode previewed = preview.json().get("nodes");
        assertThat(previewed.findValuesAsString("node"))
                .containsExactly("eu", "merged", "dw", "us");
        assertThat(previewed.get(0).get("rows").toString()).isEqualTo("[[1,10],[2,20]]");
        assertThat(previewed.get(3).get("rows").toString()).isEqualTo("[[3,30],[4,40]]");
        assertThat(previewed.get(2).get("rows").toString())
                .isEqualTo("[[1,10,\"eu\"],[2,20,\"eu\"],[3,30,\"us\"],[4,40,\"us\"]]");
        Http.Answer usOnly =
                admin.send(
                        "POST",
                        "/api/v1/pipelines/preview?table=public.orders&limit=1&source=us",
                        yaml,
                        "application/yaml");
        assertThat(usOnly.json().get("nodes").findValuesAsString("node"))
                .as(usOnly.toString())
                .containsExactly("us", "merged", "dw");

        Http.Answer stopped = seen(admin.post("/api/v1/pipelines/" + pipeline + "/stop", null));
        assertThat(stopped.json().get("state").asString())
                .as(stopped.toString())
                .isEqualTo("STOPPED");
        JsonNode after = admin.get("/api/v1/pipelines/" + pipeline + "/status").json();
        assertThat(after.get("flows").findValuesAsString("state"))
                .containsExactly("STOPPED", "STOPPED");
        assertThat(after.get("flows").findValuesAsString("phase"))
                .containsExactly("STOPPED", "STOPPED");
        JsonNode runs = admin.get("/api/v1/pipelines/" + pipeline + "/runs").json();
        assertThat(runs.get(0).get("status").asString()).isEqualTo("STOPPED");
        assertThat(runs.get(0).get("rowsWritten").asLong()).isEqualTo(50);
        assertThat(runs.get(0).get("events").asLong()).isEqualTo(3);
        assertThat(slots(euDb)).hasSize(1);
        assertThat(slots(usDb)).hasSize(1);

        assertThat(admin.delete("/api/v1/pipelines/" + pipeline).status()).isEqualTo(204);
        assertThat(slots(euDb)).isEmpty();
        assertThat(slots(usDb)).isEmpty();
        JsonNode audit = admin.get("/api/v1/audit?limit=500").json();
        assertThat(audit.findValuesAsString("path"))
                .contains(
                        "/api/v1/pipelines/" + pipeline + "/start",
                        "/api/v1/pipelines/" + pipeline + "/stop");
        for (String c : List.of(eu, us, dw)) {
            assertThat(admin.delete("/api/v1/connections/" + c).status()).isEqualTo(204);
        }
    }

    @Test
    @Order(2)
    void fanOutGraphValidatesPerNodeAndAMissingConnectionNamesTheNode() {
        String shopDb = source.createDatabase("fanout_src");
        source.execute(
                shopDb,
                "CREATE TABLE customers (id int PRIMARY KEY, email text, country text)",
                "INSERT INTO customers VALUES (1, 'a@x', 'FR')",
                "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2),"
                        + " placed timestamptz DEFAULT now())");
        String shop = createConnection(source, shopDb);
        String lakeName = createConnection(target, "postgres", unique("lake"));
        String spec =
                """
                name: fanout
                nodes:
                  - id: shop
                    source: { connection: %s, tables: [public.customers] }
                  - id: anonymous
                    drop: { columns: [email] }
                  - id: lake
                    sink: { connection: %s, table: "lake.{table}" }
                  - id: crm
                    sink: { connection: %s, table: "crm.{table}" }
                edges:
                  - { from: shop, to: anonymous }
                  - { from: anonymous, to: lake }
                  - { from: shop, to: crm }
                """;
        Http.Answer validated =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines/validate",
                                spec.formatted(shop, lakeName, lakeName),
                                "application/yaml"));
        assertThat(validated.status()).as(validated.toString()).isEqualTo(200);
        assertThat(validated.json().get("ok").asBoolean()).as(validated.toString()).isTrue();
        JsonNode nodes = validated.json().get("nodes");
        assertThat(nodes.findValuesAsString("node"))
                .containsExactly("shop", "anonymous", "lake", "crm");
        assertThat(nodes.findValuesAsString("kind"))
                .containsExactly("source", "drop", "sink", "sink");
        List<List<String>> columns = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (JsonNode node : nodes) {
            JsonNode table = node.get("tables").get(0);
            tables.add(table.get("table").asString());
            columns.add(table.get("columns").findValuesAsString("name"));
        }
        assertThat(tables)
                .containsExactly(
                        "public.customers", "public.customers", "lake.customers", "crm.customers");
        assertThat(columns)
                .containsExactly(
                        List.of("id", "email", "country"),
                        List.of("id", "country"),
                        List.of("id", "country"),
                        List.of("id", "email", "country"));
        assertThat(validated.json().get("tables").get(0).asString()).isEqualTo("public.customers");
        assertThat(validated.json().get("tables")).hasSize(1);

        // The designer's graph: a filtered fan-out from one source and a union of it with a
        // second source of the same table, all in one pipeline.
        String unionFanOut =
                """
                name: union-fan-out
                mode: snapshot+cdc
                nodes:
                  - id: source
                    source: { connection: %s, tables: [public.orders] }
                  - id: filter
                    filter: { where: row.total > 100.0 }
                  - id: sink
                    sink: { connection: %s, table: "public.big_{table}" }
                  - id: sink-2
                    sink: { connection: %s, table: "public.all_{table}" }
                  - id: union
                    union: { source-column: origin }
                  - id: source-2
                    source: { connection: %s, tables: [public.orders] }
                edges:
                  - { from: source, to: filter }
                  - { from: filter, to: sink }
                  - { from: source, to: union }
                  - { from: source-2, to: union }
                  - { from: union, to: sink-2 }
                """
                        .formatted(shop, lakeName, lakeName, shop);
        Http.Answer unioned =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines/validate",
                                unionFanOut,
                                "application/yaml"));
        assertThat(unioned.status()).as(unioned.toString()).isEqualTo(200);
        assertThat(unioned.json().get("ok").asBoolean()).as(unioned.toString()).isTrue();
        JsonNode unionNodes = unioned.json().get("nodes");
        assertThat(unionNodes.findValuesAsString("node"))
                .containsExactly("source", "filter", "sink", "sink-2", "union", "source-2");
        List<String> unionOutput = new ArrayList<>();
        for (JsonNode node : unionNodes) {
            JsonNode table = node.get("tables").get(0);
            unionOutput.add(
                    table.get("table").asString()
                            + " "
                            + table.get("columns").findValuesAsString("name"));
        }
        assertThat(unionOutput)
                .containsExactly(
                        "public.orders [id, total, placed]",
                        "public.orders [id, total, placed]",
                        "public.big_orders [id, total, placed]",
                        "public.all_orders [id, total, placed, origin]",
                        "public.orders [id, total, placed, origin]",
                        "public.orders [id, total, placed]");

        Http.Answer missing =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines",
                                spec.formatted(shop, lakeName + "x", lakeName),
                                "application/yaml"));
        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.json().get("code").asString()).isEqualTo("CONFIG_INVALID_VALUE");
        assertThat(missing.json().get("errors").findValuesAsString("message"))
                .containsExactly(
                        "nodes.lake.sink.connection: there is no connection named '"
                                + lakeName
                                + "x'; did you mean '"
                                + lakeName
                                + "'?");
        assertThat(admin.get("/api/v1/pipelines/fanout").status()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/connections/" + shop).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/connections/" + lakeName).status()).isEqualTo(204);
    }

    /** A target table's ids, in order. */
    List<Integer> ids(String database, String table) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = target.connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    /** The union's target rows as {@code region id amount}, in order. */
    private List<String> unionRows(String database) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = target.connect(database);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT region, id, amount FROM public.orders ORDER BY region,"
                                        + " id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getInt(3));
            }
        }
        return out;
    }

    @Test
    @Order(2)
    void validateListsTheTablesTheStreamCannotCarryYetWithTheirFix() {
        String sourceDb = source.createDatabase("unstreamable_src");
        String targetDb = target.createDatabase("unstreamable_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE published (id int PRIMARY KEY)",
                "CREATE TABLE left_out (id int PRIMARY KEY)",
                "CREATE PUBLICATION owner_pub FOR TABLE published");
        String src = createConnection(source, sourceDb);
        String dst = createConnection(target, targetDb);
        String yaml =
                """
                name: %s
                source:
                  connection: %s
                  tables: [public.published, public.left_out]
                  publication-name: owner_pub
                sink:
                  connection: %s
                mode: cdc
                """
                        .formatted(unique("unstreamable"), src, dst);

        Http.Answer validated =
                seen(admin.send("POST", "/api/v1/pipelines/validate", yaml, "application/yaml"));

        assertThat(validated.status()).as(validated.toString()).isEqualTo(200);
        JsonNode report = validated.json();
        assertThat(report.get("ok").asBoolean()).as(validated.toString()).isTrue();
        List<String> tables = new ArrayList<>();
        report.get("tables").forEach(t -> tables.add(t.asString()));
        assertThat(tables).containsExactly("public.left_out", "public.published");
        assertThat(report.get("unstreamable")).hasSize(1);
        JsonNode leftOut = report.get("unstreamable").get(0);
        assertThat(leftOut.get("table").asString()).isEqualTo("public.left_out");
        assertThat(leftOut.get("reason").asString()).contains("owner_pub");
        assertThat(leftOut.get("fix").asString())
                .contains("ALTER PUBLICATION \"owner_pub\" ADD TABLE \"public\".\"left_out\";");
        assertThat(report.get("warnings")).isEmpty();
    }

    @Test
    @Order(2)
    void previewRunsTheTransformsOverTheFirstRowsWritingNothing() {
        String sourceDb = source.createDatabase("preview_src");
        String targetDb = target.createDatabase("preview_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE people (id int PRIMARY KEY, email text, age int)",
                "INSERT INTO people SELECT g, 'p' || g || '@x.org', 20 + g"
                        + " FROM generate_series(1, 50) g");
        String src = createConnection(source, sourceDb);
        String dst = createConnection(target, targetDb);
        String yaml =
                """
                name: %s
                source:
                  connection: %s
                  tables: [public.people]
                sink:
                  connection: %s
                  table: "crm.{table}"
                transforms:
                  - filter: { where: "row.age %% 2 == 0" }
                  - mask: { columns: [email], with: redact }
                """
                        .formatted(unique("preview"), src, dst);

        Http.Answer preview =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines/preview?table=public.people&limit=4",
                                yaml,
                                "application/yaml"));

        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        JsonNode nodes = preview.json().get("nodes");
        assertThat(nodes.findValuesAsString("node")).containsExactly("source", "#1", "#2", "sink");
        assertThat(nodes.findValuesAsString("kind"))
                .containsExactly("source", "filter", "mask", "sink");
        assertThat(nodes.get(0).get("rows").toString())
                .isEqualTo(
                        "[[1,\"p1@x.org\",21],[2,\"p2@x.org\",22],[3,\"p3@x.org\",23],"
                                + "[4,\"p4@x.org\",24]]");
        assertThat(nodes.get(1).get("rows").toString())
                .isEqualTo("[[2,\"p2@x.org\",22],[4,\"p4@x.org\",24]]");
        assertThat(nodes.get(2).get("rows").toString())
                .isEqualTo("[[2,\"****\",22],[4,\"****\",24]]");
        assertThat(nodes.get(3).get("schema").get("table").asString()).isEqualTo("crm.people");
        assertThat(nodes.get(3).get("rows").toString())
                .isEqualTo("[[2,\"****\",22],[4,\"****\",24]]");
        assertThat(seen(admin.get("/api/v1/connections/" + dst + "/tables")).json())
                .as("a preview writes nothing at the target")
                .isEmpty();

        // The validate answer carries each node's schema, for the UI to draw on the node.
        Http.Answer validated =
                seen(admin.send("POST", "/api/v1/pipelines/validate", yaml, "application/yaml"));
        JsonNode validatedNodes = validated.json().get("nodes");
        assertThat(validatedNodes.findValuesAsString("node"))
                .containsExactly("source", "#1", "#2", "sink");
        assertThat(validatedNodes.get(3).get("tables").get(0).get("table").asString())
                .isEqualTo("crm.people");

        Http.Answer notInPipeline =
                admin.send(
                        "POST",
                        "/api/v1/pipelines/preview?table=public.nobody&limit=4",
                        yaml,
                        "application/yaml");
        assertThat(notInPipeline.status()).as(notInPipeline.toString()).isEqualTo(502);
        assertThat(notInPipeline.json().get("code").asString()).isEqualTo("TABLE_NOT_FOUND");
        Http.Answer tooMany =
                admin.send(
                        "POST",
                        "/api/v1/pipelines/preview?table=public.people&limit=100000",
                        yaml,
                        "application/yaml");
        assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
        assertThat(admin.get("/api/v1/audit").json().findValuesAsString("path"))
                .contains("/api/v1/pipelines/preview?table=public.people&limit=4");

        String fanOut =
                """
                name: %s
                nodes:
                  - id: people
                    source: { connection: %s, tables: [public.people] }
                  - id: even
                    filter: { where: "row.age %% 2 == 0" }
                  - id: crm
                    sink: { connection: %s, table: "crm.{table}" }
                  - id: all
                    sink: { connection: %s }
                edges:
                  - { from: people, to: even }
                  - { from: even, to: crm }
                  - { from: people, to: all }
                """
                        .formatted(unique("fan"), src, dst, dst);
        Http.Answer fanned =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines/preview?table=people&limit=4",
                                fanOut,
                                "application/yaml"));
        assertThat(fanned.status()).as(fanned.toString()).isEqualTo(200);
        JsonNode fannedNodes = fanned.json().get("nodes");
        assertThat(fannedNodes.findValuesAsString("node"))
                .containsExactly("people", "even", "crm", "all");
        assertThat(fannedNodes.get(2).get("schema").get("table").asString())
                .isEqualTo("crm.people");
        assertThat(fannedNodes.get(2).get("rows").toString())
                .isEqualTo("[[2,\"p2@x.org\",22],[4,\"p4@x.org\",24]]");
        assertThat(fannedNodes.get(3).get("rows")).hasSize(4);
        JsonNode fannedFlows = fanned.json().get("flows");
        assertThat(fannedFlows.findValuesAsString("sink")).containsExactly("crm", "all");
        assertThat(fannedFlows.get(0).get("path").toString())
                .isEqualTo("[\"people\",\"even\",\"crm\"]");
        Http.Answer oneSink =
                admin.send(
                        "POST",
                        "/api/v1/pipelines/preview?table=people&limit=4&sink=all",
                        fanOut,
                        "application/yaml");
        assertThat(oneSink.json().get("nodes").findValuesAsString("node"))
                .as(oneSink.toString())
                .containsExactly("people", "all");
        Http.Answer noSuchSink =
                admin.send(
                        "POST",
                        "/api/v1/pipelines/preview?table=people&limit=4&sink=lake",
                        fanOut,
                        "application/yaml");
        assertThat(noSuchSink.status()).as(noSuchSink.toString()).isEqualTo(400);
        assertThat(noSuchSink.json().get("detail").asString())
                .isEqualTo("sink lake is not a sink node of the pipeline; name one of crm, all");

        Http.Answer graph =
                admin.send(
                        "POST",
                        "/api/v1/pipelines/validate",
                        "name: g\nnodes: []\nedges: []\n",
                        "application/yaml");
        assertThat(graph.status()).as(graph.toString()).isEqualTo(400);
        // A graph is checked by the engine's parser, as siphon validate checks it.
        assertThat(graph.json().get("errors").findValuesAsString("field"))
                .containsExactly("nodes", "edges");
    }

    @Test
    @Order(3)
    void everyRoleIsCheckedOnEveryEndpointGroup() {
        assertThat(
                        admin.post(
                                        "/api/v1/users",
                                        Map.of(
                                                "username",
                                                "op",
                                                "password",
                                                "operator-pw-1",
                                                "role",
                                                "operator"))
                                .status())
                .isEqualTo(201);
        assertThat(
                        admin.post(
                                        "/api/v1/users",
                                        Map.of(
                                                "username",
                                                "view",
                                                "password",
                                                "viewer-pw-1",
                                                "role",
                                                "viewer"))
                                .status())
                .isEqualTo(201);
        Http anonymous = Http.anonymous(server.url());
        Http operator = Http.basic(server.url(), "op", "operator-pw-1");
        Http viewer =
                Http.bearer(
                        server.url(),
                        anonymous
                                .post(
                                        "/api/v1/auth/token",
                                        Map.of("username", "view", "password", "viewer-pw-1"))
                                .json()
                                .get("token")
                                .asString());
        String conn = createConnection(target, "postgres");

        List<Call> calls =
                List.of(
                        new Call("GET", "/api/v1/connections", null, "viewer"),
                        new Call("GET", "/api/v1/connectors", null, "viewer"),
                        new Call("GET", "/api/v1/pipelines/nowhere/events", null, "viewer"),
                        new Call("GET", "/api/v1/connections/" + conn, null, "viewer"),
                        new Call("GET", "/api/v1/connections/" + conn + "/tables", null, "viewer"),
                        new Call("POST", "/api/v1/connections", Map.of("name", "c"), "operator"),
                        new Call("PUT", "/api/v1/connections/" + conn, Map.of(), "operator"),
                        new Call("POST", "/api/v1/connections/" + conn + "/test", null, "operator"),
                        new Call("DELETE", "/api/v1/connections/nowhere", null, "operator"),
                        new Call("GET", "/api/v1/pipelines", null, "viewer"),
                        new Call("GET", "/api/v1/pipelines/nowhere/status", null, "viewer"),
                        new Call("GET", "/api/v1/pipelines/nowhere/runs", null, "viewer"),
                        new Call("POST", "/api/v1/pipelines", Map.of(), "operator"),
                        new Call("POST", "/api/v1/pipelines/nowhere/start", null, "operator"),
                        new Call("POST", "/api/v1/pipelines/nowhere/stop", null, "operator"),
                        new Call("POST", "/api/v1/pipelines/validate", Map.of(), "operator"),
                        new Call(
                                "POST",
                                "/api/v1/pipelines/preview?table=public.items",
                                Map.of(),
                                "operator"),
                        new Call("DELETE", "/api/v1/pipelines/nowhere", null, "operator"),
                        new Call("GET", "/api/v1/users", null, "admin"),
                        new Call("POST", "/api/v1/users", Map.of(), "admin"),
                        new Call("DELETE", "/api/v1/users/nowhere", null, "admin"),
                        new Call("GET", "/api/v1/audit", null, "admin"),
                        new Call("GET", "/api/v1/tokens", null, "viewer"),
                        new Call("GET", "/api/v1/auth/me", null, "viewer"),
                        new Call("GET", "/actuator/prometheus", null, "viewer"),
                        new Call("GET", "/api/v1/openapi.json", null, "viewer"));
        Map<String, Http> byRole = Map.of("admin", admin, "operator", operator, "viewer", viewer);
        List<String> order = List.of("viewer", "operator", "admin");
        for (Call call : calls) {
            Http.Answer none = send(anonymous, call);
            assertThat(none.status()).as("anonymous " + call + ": " + none).isEqualTo(401);
            assertThat(none.json().get("code").asString()).isEqualTo("UNAUTHENTICATED");
            for (String role : order) {
                Http.Answer answer = send(byRole.get(role), call);
                boolean allowed = order.indexOf(role) >= order.indexOf(call.minimumRole());
                if (allowed) {
                    assertThat(answer.status())
                            .as(role + " " + call + ": " + answer)
                            .isNotIn(401, 403);
                } else {
                    assertThat(answer.status())
                            .as(role + " " + call + ": " + answer)
                            .isEqualTo(403);
                    assertThat(answer.json().get("code").asString()).isEqualTo("ACCESS_DENIED");
                }
            }
        }
        Http.Answer docs = anonymous.get("/api/v1/docs");
        assertThat(docs.status()).isEqualTo(401);
        assertThat(docs.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Siphon\"");
        assertThat(anonymous.get("/api/v1/connections").header("WWW-Authenticate")).isNull();
        assertThat(anonymous.get("/api/v1/swagger-ui/index.html").header("WWW-Authenticate"))
                .isEqualTo("Basic realm=\"Siphon\"");
        Http.Answer ui = viewer.get("/api/v1/docs");
        assertThat(ui.status()).isEqualTo(302);
        assertThat(viewer.get(ui.header("Location")).status()).isEqualTo(200);
        // Tokens and Basic credentials authenticate each request: no session is made for them.
        assertThat(viewer.get("/api/v1/connections").header("Set-Cookie")).isNull();
        assertThat(operator.get("/api/v1/connections").header("Set-Cookie")).isNull();
        assertThat(Http.bearer(server.url(), "sph_forged").get("/api/v1/connections").status())
                .isEqualTo(401);
        assertThat(
                        Http.basic(server.url(), "op", "wrong-password")
                                .get("/api/v1/connections")
                                .status())
                .isEqualTo(401);
        JsonNode denied = admin.get("/api/v1/audit?username=view").json();
        assertThat(denied.findValuesAsString("path")).contains("/api/v1/users");
        assertThat(denied.findValues("status").stream().map(JsonNode::asInt)).contains(403);
        assertThat(admin.delete("/api/v1/connections/" + conn).status()).isEqualTo(204);
    }

    @Test
    @Order(4)
    void sessionLoginWorksAndTheLastAdminStays() {
        Http anonymous = Http.anonymous(server.url());
        Http.Answer login =
                anonymous.post(
                        "/api/v1/auth/login",
                        Map.of("username", "admin", "password", ADMIN_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String cookie = login.header("Set-Cookie").split(";")[0];
        assertThat(cookie).startsWith("SIPHON_SESSION=");
        assertThat(login.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Strict");
        Http session = Http.session(server.url(), cookie).sameOrigin();
        assertThat(session.get("/api/v1/auth/me").json().get("username").asString())
                .isEqualTo("admin");
        Http.Answer last = session.delete("/api/v1/users/admin");
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().get("detail").asString()).contains("last admin");
        assertThat(session.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
        assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(
                        anonymous
                                .post(
                                        "/api/v1/auth/login",
                                        Map.of("username", "admin", "password", "nope"))
                                .status())
                .isEqualTo(401);
    }

    @Test
    @Order(5)
    void runningPipelineResumesAfterTheServerRestarts() {
        ItemsPipeline p = itemsPipeline("resume", 500, Map.of());
        String pipeline = p.name();
        String sourceDb = p.sourceDb();
        String targetDb = p.targetDb();
        assertThat(admin.post("/api/v1/pipelines/" + pipeline + "/start", null).status())
                .isEqualTo(202);
        awaitPhase(pipeline, "STREAMING");

        server.close();
        source.execute(sourceDb, "INSERT INTO items VALUES (501, 'while the server was down')");
        startServer();

        awaitPhase(pipeline, "STREAMING");
        awaitEqual(sourceDb, targetDb, List.of(ITEMS));
        JsonNode runs = admin.get("/api/v1/pipelines/" + pipeline + "/runs").json();
        assertThat(runs.get(0).get("cause").asString()).isEqualTo("RESUME");
        assertThat(runs.get(1).get("status").asString()).isEqualTo("STOPPED");
        assertThat(admin.post("/api/v1/pipelines/" + pipeline + "/stop", null).status())
                .isEqualTo(200);
        assertThat(admin.delete("/api/v1/pipelines/" + pipeline).status()).isEqualTo(204);
    }

    @Test
    @Order(6)
    void failedPipelineRestartsByPolicyThenStaysFailedUntilTheUserActs() throws Exception {
        ItemsPipeline p =
                itemsPipeline(
                        "fail",
                        100,
                        Map.of(
                                "restart",
                                Map.of("policy", "on-failure", "delay", "1s", "max-attempts", 2)));
        String pipeline = p.name();
        String sourceDb = p.sourceDb();
        String targetDb = p.targetDb();
        admin.post("/api/v1/pipelines/" + pipeline + "/start", null);
        awaitPhase(pipeline, "STREAMING");
        admin.post("/api/v1/pipelines/" + pipeline + "/stop", null);
        source.execute(
                sourceDb,
                "SELECT pg_drop_replication_slot('siphon_" + pipeline.replace('-', '_') + "')");

        admin.post("/api/v1/pipelines/" + pipeline + "/start", null);
        Awaitility.await("two automatic restarts, then FAILED for good")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () -> {
                            JsonNode runs =
                                    admin.get("/api/v1/pipelines/" + pipeline + "/runs").json();
                            assertThat(runs.findValuesAsString("cause"))
                                    .containsExactly("RESTART", "RESTART", "USER", "USER");
                            assertThat(runs.findValuesAsString("status"))
                                    .containsExactly("FAILED", "FAILED", "FAILED", "STOPPED");
                            JsonNode view = admin.get("/api/v1/pipelines/" + pipeline).json();
                            assertThat(view.get("state").asString()).isEqualTo("FAILED");
                            assertThat(view.get("desiredState").asString()).isEqualTo("STOPPED");
                        });
        JsonNode error =
                admin.get("/api/v1/pipelines/" + pipeline + "/status").json().get("lastError");
        assertThat(error.get("code").asString()).isEqualTo("POSITION_LOST");
        assertThat(error.get("retriable").asBoolean()).isFalse();
        Awaitility.await("prometheus counts the failures")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(admin.get("/actuator/prometheus").body())
                                        .contains(
                                                "siphon_pipeline_failures{pipeline=\""
                                                        + pipeline
                                                        + "\"} 3"));

        server.close();
        startServer();
        assertThat(admin.get("/api/v1/pipelines/" + pipeline).json().get("state").asString())
                .isEqualTo("FAILED");
        assertThat(admin.get("/api/v1/pipelines/" + pipeline + "/runs").json()).hasSize(4);

        source.execute(sourceDb, "INSERT INTO items VALUES (101, 'after the loss')");
        assertThat(admin.post("/api/v1/pipelines/" + pipeline + "/resnapshot", null).status())
                .isEqualTo(200);
        admin.post("/api/v1/pipelines/" + pipeline + "/start", null);
        awaitPhase(pipeline, "STREAMING");
        awaitEqual(sourceDb, targetDb, List.of(ITEMS));
        assertThat(admin.get("/api/v1/pipelines/" + pipeline).json().get("lastError").isNull())
                .isTrue();
        admin.post("/api/v1/pipelines/" + pipeline + "/stop", null);
        assertThat(admin.delete("/api/v1/pipelines/" + pipeline).status()).isEqualTo(204);
    }

    @Test
    @Order(7)
    void sessionsAndTokensEndWhenTheirUserIsDeletedDemotedOrChangesPassword() {
        createUser("gone-admin", "gone-admin-pw-1", "admin");
        createUser("demoted-op", "demoted-op-pw-1", "operator");
        createUser("new-pw-viewer", "new-pw-viewer-1", "viewer");
        Http deleted = signIn("gone-admin", "gone-admin-pw-1");
        Http demoted = signIn("demoted-op", "demoted-op-pw-1");
        Http changed = signIn("new-pw-viewer", "new-pw-viewer-1");
        Http changedToken = token("new-pw-viewer", "new-pw-viewer-1");
        assertThat(changed.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(changedToken.get("/api/v1/auth/me").status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/users/gone-admin").status()).isEqualTo(204);
        Http.Answer byDeleted =
                deleted.post(
                        "/api/v1/users",
                        Map.of(
                                "username",
                                "planted",
                                "password",
                                "planted-admin-1",
                                "role",
                                "admin"));
        assertThat(byDeleted.status()).as(byDeleted.toString()).isEqualTo(401);
        assertThat(byDeleted.json().get("detail").asString())
                .isEqualTo(
                        "your session has ended: your user was deleted, or its role or password"
                                + " changed; sign in again");
        assertThat(deleted.post("/api/v1/tokens", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/users/planted").status()).isEqualTo(404);

        assertThat(admin.put("/api/v1/users/demoted-op", Map.of("role", "viewer")).status())
                .isEqualTo(200);
        Http.Answer byDemoted =
                demoted.post(
                        "/api/v1/connections",
                        Map.of("name", "x", "type", "postgres", "config", Map.of()));
        assertThat(byDemoted.status()).as(byDemoted.toString()).isEqualTo(401);
        assertThat(demoted.get("/api/v1/auth/me").status()).isEqualTo(401);

        assertThat(
                        admin.put("/api/v1/users/new-pw-viewer", Map.of("password", "other-pw-2-x"))
                                .status())
                .isEqualTo(200);
        assertThat(changed.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(changedToken.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(signIn("new-pw-viewer", "other-pw-2-x").get("/api/v1/auth/me").status())
                .isEqualTo(200);

        assertThat(admin.delete("/api/v1/users/demoted-op").status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/users/new-pw-viewer").status()).isEqualTo(204);
    }

    @Test
    @Order(8)
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        // The suite's own admin steps down, so that the two are the only admins.
        for (int round = 0; round < 8; round++) {
            String x = unique("race-x");
            String y = unique("race-y");
            createUser(x, x + "-password", "admin");
            createUser(y, y + "-password", "admin");
            Http asX = token(x, x + "-password");
            Http asY = token(y, y + "-password");
            assertThat(asX.put("/api/v1/users/admin", Map.of("role", "operator")).status())
                    .isEqualTo(200);

            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                Future<Http.Answer> xDemotesY =
                        two.submit(
                                () -> {
                                    together.await();
                                    return asX.put("/api/v1/users/" + y, Map.of("role", "viewer"));
                                });
                Future<Http.Answer> yDemotesX =
                        two.submit(
                                () -> {
                                    together.await();
                                    return asY.put("/api/v1/users/" + x, Map.of("role", "viewer"));
                                });
                List<Integer> statuses =
                        List.of(
                                xDemotesY.get(2, TimeUnit.MINUTES).status(),
                                yDemotesX.get(2, TimeUnit.MINUTES).status());
                assertThat(statuses).as("round " + round).contains(200).doesNotHaveDuplicates();
            } finally {
                two.shutdown();
            }
            List<String> admins = admins(asX, asY);
            assertThat(admins).as("round " + round).hasSize(1).isSubsetOf(x, y);
            Http survivor = admins.get(0).equals(x) ? asX : asY;
            assertThat(survivor.put("/api/v1/users/admin", Map.of("role", "admin")).status())
                    .isEqualTo(200);
            assertThat(admin.delete("/api/v1/users/" + x).status()).isEqualTo(204);
            assertThat(admin.delete("/api/v1/users/" + y).status()).isEqualTo(204);
        }
    }

    /** The names of the users who are admins now, as the first caller still allowed sees them. */
    private static List<String> admins(Http... callers) {
        for (Http caller : callers) {
            Http.Answer users = caller.get("/api/v1/users");
            if (users.status() == 200) {
                List<String> out = new ArrayList<>();
                for (JsonNode u : users.json()) {
                    if (u.get("role").asString().equals("admin")) {
                        out.add(u.get("username").asString());
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    @Test
    @Order(100)
    void theConnectionSecretNeverAppearsInAnswersLogsOrTheStore() throws Exception {
        List<String> reads = new ArrayList<>(answers);
        for (String path :
                List.of("/api/v1/connections", "/api/v1/pipelines", "/api/v1/audit?limit=10000")) {
            reads.add(admin.get(path).body());
        }
        for (JsonNode c : admin.get("/api/v1/connections").json()) {
            JsonNode one = admin.get("/api/v1/connections/" + c.get("name").asString()).json();
            assertThat(one.get("secrets").get(0).asString()).isEqualTo("password");
            assertThat(one.get("config").has("password")).isFalse();
            reads.add(one.toString());
        }
        assertThat(reads).isNotEmpty().noneMatch(body -> body.contains(SECRET));
        assertThat(log).isNotEmpty().noneMatch(line -> line.contains(SECRET));
        String stored = metadataContent();
        assertThat(stored).contains("v1:").doesNotContain(SECRET);
    }

    private void createUser(String name, String password, String role) {
        Http.Answer created =
                admin.post(
                        "/api/v1/users",
                        Map.of("username", name, "password", password, "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    /** A session of the user, as the browser on the server's pages holds it. */
    private Http signIn(String name, String password) {
        Http.Answer login =
                Http.anonymous(server.url())
                        .post("/api/v1/auth/login", Map.of("username", name, "password", password));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return Http.session(server.url(), login.header("Set-Cookie").split(";")[0]).sameOrigin();
    }

    /** An API token of the user. */
    private Http token(String name, String password) {
        Http.Answer token =
                Http.anonymous(server.url())
                        .post("/api/v1/auth/token", Map.of("username", name, "password", password));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        return Http.bearer(server.url(), token.json().get("token").asString());
    }

    /** A pipeline created over a source table of items and an empty target database. */
    private record ItemsPipeline(String name, String sourceDb, String targetDb) {}

    /**
     * Creates (but does not start) a snapshot+cdc pipeline from a new table {@code items} of {@code
     * rows} rows to a new target database, with extra top-level spec keys.
     */
    private ItemsPipeline itemsPipeline(String prefix, int rows, Map<String, Object> extra) {
        String sourceDb = source.createDatabase(prefix + "_src");
        String targetDb = target.createDatabase(prefix + "_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, " + rows + ") g");
        String name = unique(prefix);
        Map<String, Object> spec = new java.util.LinkedHashMap<>(extra);
        spec.put("name", name);
        spec.put(
                "source",
                Map.of(
                        "connection",
                        createConnection(source, sourceDb),
                        "heartbeat-interval",
                        "1s"));
        spec.put("sink", Map.of("connection", createConnection(target, targetDb)));
        spec.put("mode", "snapshot+cdc");
        Http.Answer created = admin.post("/api/v1/pipelines", spec);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new ItemsPipeline(name, sourceDb, targetDb);
    }

    /** One API call and the weakest role that may make it. */
    private record Call(String method, String path, Object body, String minimumRole) {}

    private static Http.Answer send(Http http, Call call) {
        return switch (call.method()) {
            case "GET" -> http.get(call.path());
            case "DELETE" -> http.delete(call.path());
            case "PUT" -> http.put(call.path(), call.body());
            default -> http.post(call.path(), call.body());
        };
    }

    List<String> slots(String database) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = source.connect(database);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT slot_name FROM pg_replication_slots WHERE database = '"
                                        + database
                                        + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Every file under a folder, as text (bytes read as ISO-8859-1, so nothing is lost). */
    static String filesUnder(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.append(
                        new String(
                                Files.readAllBytes(f),
                                java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return out.toString();
    }
}
