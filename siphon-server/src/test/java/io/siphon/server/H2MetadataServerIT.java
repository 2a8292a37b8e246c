package io.siphon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
