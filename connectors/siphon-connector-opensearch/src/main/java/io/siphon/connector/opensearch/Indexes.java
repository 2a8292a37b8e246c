package io.siphon.connector.opensearch;

import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The indexes of target tables: their names, the mappings made from the tables' types, and the
 * index-wide operations the sink runs (create, add fields, refresh, delete or rewrite by query).
 * Indexes are created with {@code dynamic: strict}: a field the sink did not map is refused rather
 * than guessed.
 */
final class Indexes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpenSearchHttp http;
    private final String rule;
    private final FieldEncoding.Layout layout;
    private final int shards;
    private final int replicas;

    Indexes(OpenSearchHttp http, Config config) {
        this.http = http;
        this.rule = config.get(OpenSearchOptions.INDEX);
        this.layout =
                new FieldEncoding.Layout(
                        FieldEncoding.Strings.of(config.get(OpenSearchOptions.STRINGS)),
                        "flat-object".equals(config.get(OpenSearchOptions.JSON)));
        this.shards = config.get(OpenSearchOptions.SHARDS);
        this.replicas = config.get(OpenSearchOptions.REPLICAS);
    }

    /** The choices that shape mappings and values. */
    FieldEncoding.Layout layout() {
        return layout;
    }

    OpenSearchHttp http() {
        return http;
    }

    /** The index of a target table. */
    String name(TableId target) {
        return IndexNames.of(rule, target);
    }

    /** The mapping of a column's field. */
    ObjectNode mapping(TableSchema table, Column column) {
        return FieldEncoding.mapping(
                column.type(), table.primaryKey().contains(column.name()), layout);
    }

    /** The mapped fields of an index, or null when it does not exist. */
    ObjectNode fields(String index) {
        OpenSearchHttp.Reply reply = http.send("GET", "/" + index + "/_mapping", null);
        if (reply.status() == 404) {
            return null;
        }
        ok(reply, "reading the mapping of index " + index);
        JsonNode properties = reply.body().path(index).path("mappings").path("properties");
        return properties.isObject() ? (ObjectNode) properties : NODES.objectNode();
    }

    /** Creates the index of a table with a field per column. */
    void create(String index, TableSchema table) {
        ObjectNode body = NODES.objectNode();
        body.putObject("settings")
                .put("number_of_shards", shards)
                .put("number_of_replicas", replicas);
        ObjectNode mappings = body.putObject("mappings");
        mappings.put("dynamic", "strict");
        mappings.putObject("_meta")
                .put("siphon_table", table.id().toString())
                .put("siphon_key", String.join(",", table.primaryKey()));
        ObjectNode properties = mappings.putObject("properties");
        for (Column column : table.columns()) {
            properties.set(column.name(), mapping(table, column));
        }
        OpenSearchHttp.Reply reply = http.send("PUT", "/" + index, body.toString());
        if (reply.status() == 400
                && reply.body()
                        .path("error")
                        .path("type")
                        .asString()
                        .equals("resource_already_exists_exception")) {
            return;
        }
        ok(reply, "creating index " + index + " for table " + table.id());
    }

    /** Adds fields to an index's mapping. */
    void addFields(String index, Map<String, ObjectNode> fields) {
        if (fields.isEmpty()) {
            return;
        }
        ObjectNode body = NODES.objectNode();
        ObjectNode properties = body.putObject("properties");
        fields.forEach(properties::set);
        ok(
                http.send("PUT", "/" + index + "/_mapping", body.toString()),
                "adding fields " + fields.keySet() + " to index " + index);
    }

    /**
     * The fields a table's columns need that the index lacks, and the problems of fields it has
     * with another type (each needs a reindex).
     */
    Fit fit(String index, ObjectNode existing, TableSchema table) {
        Map<String, ObjectNode> missing = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Column column : table.columns()) {
            ObjectNode wanted = mapping(table, column);
            JsonNode have = existing.get(column.name());
            if (have == null) {
                missing.put(column.name(), wanted);
            } else if (!sameType(have, wanted)) {
                problems.add(reindexNeeded(index, table.id(), column, have, wanted));
            }
        }
        return new Fit(missing, problems);
    }

    /**
     * What an existing index lacks for a table.
     *
     * @param missing fields to add
     * @param conflicts fields mapped with another type
     */
    record Fit(Map<String, ObjectNode> missing, List<Problem> conflicts) {}

    /** Whether two field mappings index values the same way. */
    static boolean sameType(JsonNode have, JsonNode wanted) {
        return have.path("type").asString("object").equals(wanted.path("type").asString("object"))
                && have.path("scaling_factor").asDouble(0)
                        == wanted.path("scaling_factor").asDouble(0)
                && have.path("enabled").asBoolean(true) == wanted.path("enabled").asBoolean(true);
    }

    /** The problem of a field whose mapping cannot change in place. */
    static Problem reindexNeeded(
            String index, TableId table, Column column, JsonNode have, JsonNode wanted) {
        return new Problem(
                ErrorCode.SCHEMA_MISMATCH,
                "Column "
                        + column.name()
                        + " of table "
                        + table
                        + " needs the mapping "
                        + wanted
                        + " but index "
                        + index
                        + " maps it as "
                        + have
                        + ", and OpenSearch cannot change a field's mapping in place: the index"
                        + " needs a reindex",
                "Delete the index (DELETE /"
                        + index
                        + ") and copy the table again: siphon resnapshot <pipeline.yaml> --table "
                        + table
                        + " (or siphon run --resnapshot for every table); the sink creates the"
                        + " index anew with the new mapping, and the stream keeps it current");
    }

    /** Makes every document written so far searchable. */
    void refresh(String index) {
        ok(http.send("POST", "/" + index + "/_refresh", null), "refreshing index " + index);
    }

    /** Deletes every document of an index, keeping the index and its mapping. */
    void deleteAll(String index) {
        refresh(index);
        OpenSearchHttp.Reply reply =
                http.send(
                        "POST",
                        "/" + index + "/_delete_by_query?conflicts=proceed&refresh=true",
                        "{\"query\":{\"match_all\":{}}}");
        ok(reply, "deleting the documents of index " + index);
        failuresOf(reply, "deleting the documents of index " + index);
    }

    /**
     * Runs a Painless script on every document (update by query), after a refresh, so that it
     * reaches every document written so far. The script sets {@code ctx.op = 'noop'} for documents
     * it leaves alone.
     */
    void rewrite(String index, String what, String script, ObjectNode params) {
        refresh(index);
        ObjectNode body = NODES.objectNode();
        body.putObject("query").putObject("match_all");
        ObjectNode s = body.putObject("script");
        s.put("lang", "painless");
        s.put("source", script);
        s.set("params", params);
        OpenSearchHttp.Reply reply =
                http.send(
                        "POST",
                        "/" + index + "/_update_by_query?conflicts=proceed&refresh=true",
                        body.toString());
        ok(reply, what + " in index " + index);
        failuresOf(reply, what + " in index " + index);
    }

    private static void failuresOf(OpenSearchHttp.Reply reply, String what) {
        JsonNode failures = reply.body().path("failures");
        if (failures.isArray() && !failures.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_FAILED,
                    "OpenSearch failed " + what + ": " + failures.get(0));
        }
    }

    /** Whether an index holds no document. */
    boolean isEmpty(String index) {
        OpenSearchHttp.Reply reply = http.send("GET", "/" + index + "/_count", null);
        ok(reply, "counting the documents of index " + index);
        return reply.body().path("count").asLong() == 0;
    }

    private void ok(OpenSearchHttp.Reply reply, String what) {
        if (reply.ok()) {
            return;
        }
        ErrorCode code =
                switch (reply.status()) {
                    case 401 -> ErrorCode.AUTH_FAILED;
                    case 403 -> ErrorCode.PERMISSION_DENIED;
                    default -> ErrorCode.SINK_WRITE_FAILED;
                };
        throw new SiphonException(
                code, "OpenSearch at " + http.url() + " failed " + what + ": " + reply.error());
    }
}
