package io.siphon.connector.kafka;

import io.siphon.model.Column;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes the records of one target table: keys (the primary key as a struct named {@code
 * <topic>.Key}, as Debezium's), change events in Debezium's envelope ({@code <topic>.Envelope}:
 * {@code before}, {@code after}, {@code source}, {@code transaction}, {@code op}, {@code ts_ms},
 * {@code ts_us}, {@code ts_ns}) or plain rows. Schemas are written once per table and spliced into
 * each record. One per table per writer; not thread-safe.
 */
final class TableRecords {

    /** Debezium's operation codes. */
    enum Op {
        CREATE("c"),
        UPDATE("u"),
        DELETE("d"),
        READ("r"),
        TRUNCATE("t");

        final String code;

        Op(String code) {
            this.code = code;
        }
    }

    private static final byte[] SCHEMA_START = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAYLOAD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json;
    private final TableSchema table;
    private final String topic;
    private final Encoding encoding;
    private final ConnectValues values;
    private final SourceBlock source;
    private final int[] keyIndexes;
    private final byte[] keySchema;
    private final byte[] rowSchema;
    private final Map<SourceBlock.Layout, byte[]> envelopeSchemas =
            new EnumMap<>(SourceBlock.Layout.class);

    /**
     * Reused for every record: an envelope with its schema is a few kilobytes, which a fresh stream
     * would reach by doubling and copying several times per record.
     */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

    TableRecords(
            JsonMapper json,
            TableSchema table,
            String topic,
            Encoding encoding,
            SourceBlock source) {
        this.json = json;
        this.table = table;
        this.topic = topic;
        this.encoding = encoding;
        this.values = new ConnectValues(encoding);
        this.source = source;
        this.keyIndexes = table.primaryKey().stream().mapToInt(table::indexOf).toArray();
        ConnectSchemas schemas = new ConnectSchemas(encoding);
        this.keySchema =
                keyIndexes.length == 0
                        ? null
                        : JsonBytes.of(json, g -> schemas.key(g, table, topic + ".Key"));
        this.rowSchema =
                JsonBytes.of(
                        json,
                        g ->
                                schemas.struct(
                                        g,
                                        table.columns(),
                                        table.primaryKey(),
                                        false,
                                        topic + ".Value",
                                        null,
                                        null));
    }

    /** The topic the table's records go to. */
    String topic() {
        return topic;
    }

    /** The table's schema these records encode. */
    TableSchema table() {
        return table;
    }

    /** The record key of a row: its primary key; null for a table without one. */
    byte[] key(Row row) {
        if (keyIndexes.length == 0) {
            return null;
        }
        return framed(
                keySchema,
                g -> {
                    g.writeStartObject();
                    for (int i : keyIndexes) {
                        Column c = table.columns().get(i);
                        g.writeName(c.name());
                        values.write(g, c.type(), row.get(i));
                    }
                    g.writeEndObject();
                });
    }

    /** A plain row value ({@code format: row}). */
    byte[] row(Row row) {
        return framed(rowSchema, g -> rowStruct(g, row, false));
    }

    /**
     * A change event in Debezium's envelope.
     *
     * @param source the table the change comes from, as its source names it
     * @param before the old row, or null
     * @param beforeIsKeyOnly whether {@code before} holds only the key's values
     * @param after the new row, or null
     */
    byte[] envelope(
            TableId source,
            Op op,
            Row before,
            boolean beforeIsKeyOnly,
            Row after,
            EventMeta meta,
            boolean snapshot,
            Instant now) {
        Map<String, Object> fields =
                meta.position() == null ? Map.of() : meta.position().sourceFields();
        SourceBlock.Layout layout = SourceBlock.Layout.of(fields);
        byte[] schema =
                encoding.schemas()
                        ? envelopeSchemas.computeIfAbsent(layout, this::envelopeSchema)
                        : null;
        return framed(
                schema,
                g -> {
                    g.writeStartObject();
                    g.writeName("before");
                    if (before == null) {
                        g.writeNull();
                    } else {
                        rowStruct(g, before, beforeIsKeyOnly);
                    }
                    g.writeName("after");
                    if (after == null) {
                        g.writeNull();
                    } else {
                        rowStruct(g, after, false);
                    }
                    g.writeName("source");
                    this.source.values(g, layout, fields, source, meta, snapshot, now);
                    g.writeNullProperty("transaction");
                    g.writeStringProperty("op", op.code);
                    g.writeNumberProperty("ts_ms", now.toEpochMilli());
                    g.writeNumberProperty(
                            "ts_us", now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
                    g.writeNumberProperty(
                            "ts_ns", now.getEpochSecond() * 1_000_000_000L + now.getNano());
                    g.writeEndObject();
                });
    }

    private byte[] envelopeSchema(SourceBlock.Layout layout) {
        ConnectSchemas schemas = new ConnectSchemas(encoding);
        return JsonBytes.of(
                json,
                g -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", "struct");
                    g.writeName("fields");
                    g.writeStartArray();
                    for (String side : List.of("before", "after")) {
                        schemas.struct(
                                g,
                                table.columns(),
                                table.primaryKey(),
                                true,
                                topic + ".Value",
                                null,
                                side);
                    }
                    source.schema(g, layout);
                    transactionSchema(g);
                    JsonBytes.field(g, "string", false, "op");
                    JsonBytes.field(g, "int64", true, "ts_ms");
                    JsonBytes.field(g, "int64", true, "ts_us");
                    JsonBytes.field(g, "int64", true, "ts_ns");
                    g.writeEndArray();
                    g.writeBooleanProperty("optional", false);
                    g.writeStringProperty("name", topic + ".Envelope");
                    g.writeNumberProperty("version", 2);
                    g.writeEndObject();
                });
    }

    private static void transactionSchema(JsonGenerator g) {
        g.writeStartObject();
        g.writeStringProperty("type", "struct");
        g.writeName("fields");
        g.writeStartArray();
        JsonBytes.field(g, "string", false, "id");
        JsonBytes.field(g, "int64", false, "total_order");
        JsonBytes.field(g, "int64", false, "data_collection_order");
        g.writeEndArray();
        g.writeBooleanProperty("optional", true);
        g.writeStringProperty("name", "event.block");
        g.writeNumberProperty("version", 1);
        g.writeStringProperty("field", "transaction");
        g.writeEndObject();
    }

    private void rowStruct(JsonGenerator g, Row row, boolean keyOnly) {
        g.writeStartObject();
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            g.writeName(c.name());
            Object value = row.get(i);
            if (keyOnly
                    && value == null
                    && !c.nullable()
                    && !table.primaryKey().contains(c.name())) {
                values.writeZero(g, c.type());
            } else {
                values.write(g, c.type(), value);
            }
        }
        g.writeEndObject();
    }

    /** The payload, inside {@code {"schema": ..., "payload": ...}} when there is a schema. */
    private byte[] framed(byte[] schema, JsonBytes.Body payload) {
        ByteArrayOutputStream out = buffer;
        out.reset();
        if (schema != null && encoding.schemas()) {
            out.writeBytes(SCHEMA_START);
            out.writeBytes(schema);
            out.writeBytes(PAYLOAD);
        }
        try (JsonGenerator g = json.createGenerator(out)) {
            payload.write(g);
        }
        if (schema != null && encoding.schemas()) {
            out.write('}');
        }
        return out.toByteArray();
    }
}
