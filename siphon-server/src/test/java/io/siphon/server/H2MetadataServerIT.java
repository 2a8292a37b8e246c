package io.siphon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The API suite with the embedded H2 metadata store (the default), and what does not depend on the
 * store: the web UI's files, the connector catalog, paged tables and the live event streams.
 */
class H2MetadataServerIT extends ServerApiSuite {

    @Override
    ServerSettings settings(Path dataDir) {
        return ServerSettings.defaults(dataDir);
    }

    @Override
    String metadataContent() throws Exception {
        return filesUnder(dataDir);
    }

    // A graph run does not depend on the metadata store: run here only, once.
    @Test
    @Order(2)
    void fanOutGraphCopiesATableAgainPerFlowAndDropsTheFlowAnEditLeavesOut() throws Exception {
        String shopDb = source.createDatabase("fanout_run_src");
        String dwDb = target.createDatabase("fanout_run_dst");
        source.execute(
                shopDb,
                "CREATE TABLE customers (id int PRIMARY KEY, country text)",
                "INSERT INTO customers VALUES (1, 'FR'), (2, 'DE'), (3, 'US')");
        String shop = createConnection(source, shopDb);
        String dw = createConnection(target, dwDb);
        String pipeline = unique("fanout");
        String graph =
                """
                name: %s
                mode: snapshot+cdc
                nodes:
                  - id: shop
                    source: { connection: %s, tables: [public.customers], heartbeat-interval: 1s }
                  - id: lake
                    sink: { connection: %s, table: "lake.{table}" }
                  - id: crm
                    sink: { connection: %s, table: "crm.{table}" }
                  - id: archive
                    sink: { connection: %s, table: "archive.{table}" }
                edges:
                  - { from: shop, to: lake }
                  - { from: shop, to: crm }
                  - { from: shop, to: archive }
                """;
        Http.Answer created =
                seen(
                        admin.send(
                                "POST",
                                "/api/v1/pipelines",
                                graph.formatted(pipeline, shop, dw, dw, dw),
                                "application/yaml"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/pipelines/" + pipeline + "/start", null).status())
                .isEqualTo(202);
        awaitPhase(pipeline, "STREAMING");
        Awaitility.await("both targets copied")
                .atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            assertThat(ids(dwDb, "lake.customers")).containsExactly(1, 2, 3);
                            assertThat(ids(dwDb, "crm.customers")).containsExactly(1, 2, 3);
                        });
        target.execute(
                dwDb, "DELETE FROM lake.customers WHERE id = 1", "DELETE FROM crm.customers");

        Http.Answer lakeOnly =
                seen(
                        admin.post(
                                "/api/v1/pipelines/" + pipeline + "/resnapshot",
                                Map.of(
                                        "tables",
                                        List.of("public.customers"),
                                        "flow",
                                        pipeline + ".shop.lake")));
        assertThat(lakeOnly.status()).as(lakeOnly.toString()).isEqualTo(200);
        Awaitility.await("the lake's copy again")
                .atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(ids(dwDb, "lake.customers")).containsExactly(1, 2, 3));
        assertThat(ids(dwDb, "crm.customers")).as("the other flow copies nothing").isEmpty();
        Http.Answer everyFlow =
                seen(
                        admin.post(
                                "/api/v1/pipelines/" + pipeline + "/resnapshot",
                                Map.of("tables", List.of("customers"))));
        assertThat(everyFlow.status()).as(everyFlow.toString()).isEqualTo(200);
        Awaitility.await("every flow's copy again")
                .atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(ids(dwDb, "crm.customers")).containsExactly(1, 2, 3));
        Http.Answer nobody =
                admin.post(
                        "/api/v1/pipelines/" + pipeline + "/resnapshot",
                        Map.of("tables", List.of("public.nobody")));
        assertThat(nobody.json().get("code").asString())
                .as(nobody.toString())
                .isEqualTo("TABLE_NOT_FOUND");
        Http.Answer noFlow =
                admin.post(
                        "/api/v1/pipelines/" + pipeline + "/resnapshot",
                        Map.of("tables", List.of("public.customers"), "flow", "x.shop.lake"));
        assertThat(noFlow.status()).as(noFlow.toString()).isEqualTo(400);
        assertThat(noFlow.json().get("detail").asString())
                .isEqualTo(
                        "pipeline "
                                + pipeline
                                + " has no flow named x.shop.lake; name one of "
                                + pipeline
                                + ".shop.lake, "
                                + pipeline
                                + ".shop.crm, "
                                + pipeline
                                + ".shop.archive");

        assertThat(admin.post("/api/v1/pipelines/" + pipeline + "/stop", null).status())
                .isEqualTo(200);
        assertThat(slots(shopDb)).hasSize(3);
        // The archive sink removed: its flow goes; the other two keep their names and positions.
        String edit =
                """
                name: %s
                mode: snapshot+cdc
                nodes:
                  - id: shop
                    source: { connection: %s, tables: [public.customers], heartbeat-interval: 1s }
                  - id: lake
                    sink: { connection: %s, table: "lake.{table}" }
                  - id: crm
                    sink: { connection: %s, table: "crm.{table}" }
                edges:
                  - { from: shop, to: lake }
                  - { from: shop, to: crm }
                """
                        .formatted(pipeline, shop, dw, dw);
        Http.Answer edited =
                seen(admin.send("PUT", "/api/v1/pipelines/" + pipeline, edit, "application/yaml"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(slots(shopDb)).as("the archive flow's slot is dropped").hasSize(2);
        JsonNode status = admin.get("/api/v1/pipelines/" + pipeline + "/status").json();
        assertThat(status.get("flows").findValuesAsString("name"))
                .as(status.toString())
                .containsExactlyInAnyOrder(pipeline + ".shop.lake", pipeline + ".shop.crm");
        assertThat(ids(dwDb, "archive.customers")).as("target tables are kept").hasSize(3);

        assertThat(admin.delete("/api/v1/pipelines/" + pipeline).status()).isEqualTo(204);
        assertThat(slots(shopDb)).isEmpty();
        for (String c : List.of(shop, dw)) {
            assertThat(admin.delete("/api/v1/connections/" + c).status()).isEqualTo(204);
        }
    }

    @Test
    @Order(2)
    void webUiIsServedAtTheRootWithItsPagesAndCachedAssets() {
        Http anonymous = Http.anonymous(server.url());
        Http.Answer root = anonymous.get("/");
        assertThat(root.status()).as(root.toString()).isEqualTo(200);
        assertThat(root.header("Content-Type")).startsWith("text/html");
        assertThat(root.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(root.body()).contains("<div id=\"root\"></div>");

        // A page path is the UI's, answered with index.html so deep links and reloads work.
        Http.Answer page = anonymous.get("/pipelines/shop/edit");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).isEqualTo(root.body());

        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(root.body());
        assertThat(script.find()).as(root.body()).isTrue();
        Http.Answer asset = anonymous.get(script.group(1));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("Content-Type")).startsWith("text/javascript");
        assertThat(asset.header("Cache-Control")).isEqualTo("max-age=31536000, public, immutable");

        // Missing files and API paths never fall back to the page.
        assertThat(anonymous.get("/assets/gone-1234.js").status()).isEqualTo(404);
        Http.Answer api = admin.get("/api/v1/nowhere");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
        assertThat(anonymous.get("/api/v1/connections").status()).isEqualTo(401);
        // Pages are read-only: nothing but GET reaches them.
        assertThat(anonymous.post("/pipelines", Map.of()).status()).isIn(401, 403);
    }

    @Test
    @Order(2)
    void connectorCatalogListsEachConnectorsTypedOptions() {
        Http.Answer catalog = viewer().get("/api/v1/connectors");
        assertThat(catalog.status()).as(catalog.toString()).isEqualTo(200);
        assertThat(catalog.json().valueStream().map(c -> c.get("type").asString()))
                .containsExactly("kafka", "mysql", "opensearch", "postgres", "redis");
        JsonNode postgres = connector(catalog.json(), "postgres");
        assertThat(postgres.get("description").asString()).isNotBlank();
        assertThat(option(postgres, "url").get("required").asBoolean()).isTrue();
        assertThat(option(postgres, "url").get("type").asString()).isEqualTo("text");
        assertThat(option(postgres, "password").get("secret").asBoolean()).isTrue();
        assertThat(option(postgres, "connect-timeout").get("type").asString())
                .isEqualTo("duration");
        assertThat(option(postgres, "connect-timeout").get("default").asString())
                .isEqualTo("10000ms");
        assertThat(option(postgres, "tables").get("type").asString()).isEqualTo("list");
        assertThat(option(postgres, "tables").get("pipeline").asBoolean()).isTrue();
        assertThat(option(postgres, "url").get("pipeline").asBoolean()).isFalse();
        JsonNode zeroDates = option(connector(catalog.json(), "mysql"), "zero-dates");
        assertThat(zeroDates.get("type").asString()).isEqualTo("choice");
        assertThat(zeroDates.get("allowed").valueStream().map(JsonNode::asString))
                .containsExactly("error", "null");
        assertThat(zeroDates.get("usages").valueStream().map(JsonNode::asString))
                .containsExactly("source", "cdc");

        assertThat(admin.get("/api/v1/openapi.json").json().get("paths").propertyNames())
                .contains(
                        "/api/v1/connectors",
                        "/api/v1/events",
                        "/api/v1/pipelines/{name}/events",
                        "/api/v1/connections/{name}/tables");
    }

    @Test
    @Order(2)
    void tablesArePagedAndSearchedWithReadableTypeNames() {
        String db = source.createDatabase("catalog_src");
        source.execute(
                db,
                "CREATE TABLE orders_1 (id bigint PRIMARY KEY, total numeric(12,2), note"
                        + " varchar(40))",
                "CREATE TABLE orders_2 (id int PRIMARY KEY)",
                "CREATE TABLE orders_3 (id int PRIMARY KEY)",
                "CREATE TABLE customers (id int PRIMARY KEY)");
        String conn = createConnection(source, db);

        Http.Answer page =
                admin.get("/api/v1/connections/" + conn + "/tables?search=ORDERS&offset=1&limit=1");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(names(page.json())).containsExactly("orders_2");

        Http.Answer all = admin.get("/api/v1/connections/" + conn + "/tables");
        assertThat(all.header("X-Total-Count")).isEqualTo("4");
        assertThat(names(all.json()))
                .containsExactly("customers", "orders_1", "orders_2", "orders_3");
        JsonNode orders = all.json().get(1).get("columns");
        assertThat(orders.findValuesAsString("type"))
                .containsExactly("int64", "decimal(12,2)", "varchar(40)");
        assertThat(orders.findValuesAsString("nativeType"))
                .containsExactly("bigint", "numeric(12,2)", "character varying(40)");
    }

    @Test
    @Order(2)
    void pipelineProgressStreamsAsServerSentEvents() {
        String src = createConnection(source, source.createDatabase("events_src"));
        String dst = createConnection(target, target.createDatabase("events_dst"));
        String pipeline = unique("events");
        Http.Answer created =
                admin.send(
                        "POST",
                        "/api/v1/pipelines",
                        "name: %s\nsource: { connection: %s }\nsink: { connection: %s }\nmode: snapshot\n"
                                .formatted(pipeline, src, dst),
                        "application/yaml");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Http viewer = viewer();

        List<Http.Event> one = viewer.events("/api/v1/pipelines/" + pipeline + "/events", 2);
        assertThat(one).extracting(Http.Event::name).containsExactly("status", "status");
        assertThat(one.get(0).contentType()).startsWith("text/event-stream");
        assertThat(one.get(0).data().get("name").asString()).isEqualTo(pipeline);
        assertThat(one.get(0).data().get("state").asString()).isEqualTo("STOPPED");

        List<Http.Event> list = viewer.events("/api/v1/events", 1);
        assertThat(list.get(0).name()).isEqualTo("pipelines");
        assertThat(names(list.get(0).data())).contains(pipeline);

        assertThat(viewer.get("/api/v1/pipelines/nowhere/events").status()).isEqualTo(404);
        assertThat(Http.anonymous(server.url()).get("/api/v1/events").status()).isEqualTo(401);
    }

    @Test
    @Order(2)
    void validateShowsTheCreateTableTheSinkWouldRunWithoutRunningIt() throws Exception {
        String sourceDb = source.createDatabase("ddl_src");
        String targetDb = target.createDatabase("ddl_dst");
        source.execute(
                sourceDb,
                "CREATE TABLE fresh (id bigint PRIMARY KEY, label varchar(20) NOT NULL)",
                "CREATE TABLE kept (id int PRIMARY KEY)");
        target.execute(targetDb, "CREATE TABLE kept (id int PRIMARY KEY)");
        String yaml =
                "name: ddl\nsource: { connection: %s }\nsink: { connection: %s }\nmode: snapshot\n"
                        .formatted(
                                createConnection(source, sourceDb),
                                createConnection(target, targetDb));

        Http.Answer validated =
                admin.send("POST", "/api/v1/pipelines/validate", yaml, "application/yaml");
        assertThat(validated.status()).as(validated.toString()).isEqualTo(200);
        Map<String, List<String>> ddl = new java.util.TreeMap<>();
        validated
                .json()
                .get("flows")
                .forEach(
                        f ->
                                ddl.put(
                                        f.get("target").asString(),
                                        f.get("ddl")
                                                .valueStream()
                                                .map(JsonNode::asString)
                                                .toList()));
        assertThat(ddl.get("public.kept")).isEmpty();
        assertThat(ddl.get("public.fresh"))
                .singleElement()
                .asString()
                .startsWith("CREATE TABLE ")
                .contains(
                        "fresh",
                        "bigint NOT NULL",
                        "character varying(20) NOT NULL",
                        "PRIMARY KEY");
        // A dry run: the table is still not there.
        try (var c =
                        java.sql.DriverManager.getConnection(
                                target.jdbcUrl(targetDb), target.superuser(), "");
                var rs =
                        c.createStatement()
                                .executeQuery("SELECT to_regclass('public.fresh') IS NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    private Http viewer() {
        if (admin.get("/api/v1/users/live-viewer").status() == 404) {
            assertThat(
                            admin.post(
                                            "/api/v1/users",
                                            Map.of(
                                                    "username",
                                                    "live-viewer",
                                                    "password",
                                                    "live-viewer-pw-1",
                                                    "role",
                                                    "viewer"))
                                    .status())
                    .isEqualTo(201);
        }
        return Http.basic(server.url(), "live-viewer", "live-viewer-pw-1");
    }

    private static List<String> names(JsonNode array) {
        return array.valueStream().map(n -> n.get("name").asString()).toList();
    }

    private static JsonNode connector(JsonNode catalog, String type) {
        return catalog.valueStream()
                .filter(c -> c.get("type").asString().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no connector " + type + " in " + catalog));
    }

    private static JsonNode option(JsonNode connector, String name) {
        return connector
                .get("options")
                .valueStream()
                .filter(o -> o.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no option " + name + " in " + connector));
    }
}
