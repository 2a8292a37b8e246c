package io.siphon.connector.kafka;

import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import java.time.Instant;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * The {@code source} block of a change event, laid out as Debezium's connector for the source's
 * system lays it out ({@code io.debezium.connector.postgresql.Source}, {@code ...mysql.Source}),
 * from what the event's position says of itself ({@link io.siphon.model.Offset#sourceFields()}). A
 * source Debezium has no connector for gets a block of the common fields named {@code
 * io.siphon.Source}.
 */
final class SourceBlock {

    /** The {@code version} field: which Siphon wrote the event. */
    static final String VERSION = "siphon-0.1";

    private static final String SNAPSHOT_VALUES =
            "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental";

    /** The systems whose Debezium layout the block follows. */
    enum Layout {
        POSTGRESQL("postgresql", "io.debezium.connector.postgresql.Source"),
        MYSQL("mysql", "io.debezium.connector.mysql.Source"),
        GENERIC("siphon", "io.siphon.Source");

        final String connector;
        final String schemaName;

        Layout(String connector, String schemaName) {
            this.connector = connector;
            this.schemaName = schemaName;
        }

        static Layout of(Map<String, Object> fields) {
            Object connector = fields.get("connector");
            if (POSTGRESQL.connector.equals(connector)) {
                return POSTGRESQL;
            }
            if (MYSQL.connector.equals(connector)) {
                return MYSQL;
            }
            return GENERIC;
        }
    }

    private final String name;

    /**
     * @param name the {@code name} field: the topic prefix, as Debezium's
     */
    SourceBlock(String name) {
        this.name = name;
    }

    /** Writes the block's schema for a layout (field {@code source} of the envelope). */
    void schema(JsonGenerator g, Layout layout) {
        g.writeStartObject();
        g.writeStringProperty("type", "struct");
        g.writeName("fields");
        g.writeStartArray();
        JsonBytes.field(g, "string", false, "version");
        JsonBytes.field(g, "string", false, "connector");
        JsonBytes.field(g, "string", false, "name");
        JsonBytes.field(g, "int64", false, "ts_ms");
        g.writeStartObject();
        g.writeStringProperty("type", "string");
        g.writeBooleanProperty("optional", true);
        g.writeStringProperty("name", "io.debezium.data.Enum");
        g.writeNumberProperty("version", 1);
        g.writeName("parameters");
        g.writeStartObject();
        g.writeStringProperty("allowed", SNAPSHOT_VALUES);
        g.writeEndObject();
        g.writeStringProperty("default", "false");
        g.writeStringProperty("field", "snapshot");
        g.writeEndObject();
        JsonBytes.field(g, "string", false, "db");
        JsonBytes.field(g, "string", true, "sequence");
        JsonBytes.field(g, "int64", true, "ts_us");
        JsonBytes.field(g, "int64", true, "ts_ns");
        switch (layout) {
            case POSTGRESQL -> {
                JsonBytes.field(g, "string", false, "schema");
                JsonBytes.field(g, "string", false, "table");
                JsonBytes.field(g, "int64", true, "txId");
                JsonBytes.field(g, "int64", true, "lsn");
                JsonBytes.field(g, "int64", true, "xmin");
            }
            case MYSQL -> {
                JsonBytes.field(g, "string", true, "table");
                JsonBytes.field(g, "int64", false, "server_id");
                JsonBytes.field(g, "string", true, "gtid");
                JsonBytes.field(g, "string", false, "file");
                JsonBytes.field(g, "int64", false, "pos");
                JsonBytes.field(g, "int32", false, "row");
                JsonBytes.field(g, "int64", true, "thread");
                JsonBytes.field(g, "string", true, "query");
            }
            case GENERIC -> {
                JsonBytes.field(g, "string", false, "schema");
                JsonBytes.field(g, "string", false, "table");
                JsonBytes.field(g, "string", true, "txId");
                JsonBytes.field(g, "string", true, "position");
            }
        }
        g.writeEndArray();
        g.writeBooleanProperty("optional", false);
        g.writeStringProperty("name", layout.schemaName);
        g.writeStringProperty("field", "source");
        g.writeEndObject();
    }

    /**
     * Writes the block's values.
     *
     * @param table the table as the target names it ({@code schema}, {@code table}; MySQL's {@code
     *     db} is the schema)
     * @param meta the event's position, time and transaction
     * @param snapshot whether the row comes from a snapshot
     * @param now the time the event is written, standing in for an unknown commit time
     */
    void values(
            JsonGenerator g,
            Layout layout,
            Map<String, Object> fields,
            TableId table,
            EventMeta meta,
            boolean snapshot,
            Instant now) {
        Instant at = meta.commitTime() != null ? meta.commitTime() : now;
        g.writeStartObject();
        g.writeStringProperty("version", VERSION);
        g.writeStringProperty("connector", layout.connector);
        g.writeStringProperty("name", name);
        g.writeNumberProperty("ts_ms", at.toEpochMilli());
        g.writeStringProperty("snapshot", snapshot ? "true" : "false");
        g.writeStringProperty("db", layout == Layout.MYSQL ? table.schema() : "");
        g.writeNullProperty("sequence");
        g.writeNumberProperty("ts_us", at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000);
        g.writeNumberProperty("ts_ns", at.getEpochSecond() * 1_000_000_000L + at.getNano());
        switch (layout) {
            case POSTGRESQL -> {
                g.writeStringProperty("schema", table.schema());
                g.writeStringProperty("table", table.table());
                Long txId = numberOrNull(meta.transactionId());
                if (txId == null) {
                    g.writeNullProperty("txId");
                } else {
                    g.writeNumberProperty("txId", txId);
                }
                if (fields.get("lsn") instanceof Long lsn) {
                    g.writeNumberProperty("lsn", lsn);
                } else {
                    g.writeNullProperty("lsn");
                }
                g.writeNullProperty("xmin");
            }
            case MYSQL -> {
                g.writeStringProperty("table", table.table());
                g.writeNumberProperty("server_id", longOr(fields.get("server_id")));
                if (fields.get("gtid") instanceof String gtid) {
                    g.writeStringProperty("gtid", gtid);
                } else {
                    g.writeNullProperty("gtid");
                }
                g.writeStringProperty(
                        "file", fields.get("file") instanceof String file ? file : "");
                g.writeNumberProperty("pos", longOr(fields.get("pos")));
                g.writeNumberProperty("row", 0);
                g.writeNullProperty("thread");
                g.writeNullProperty("query");
            }
            case GENERIC -> {
                g.writeStringProperty("schema", table.schema());
                g.writeStringProperty("table", table.table());
                g.writeStringProperty("txId", meta.transactionId());
                g.writeStringProperty(
                        "position", meta.position() == null ? null : meta.position().describe());
            }
        }
        g.writeEndObject();
    }

    private static long longOr(Object value) {
        return value instanceof Long l ? l : 0L;
    }

    private static Long numberOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
