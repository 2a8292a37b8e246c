package io.siphon.connector.kafka;

import io.siphon.connector.support.schema.SchemaDiff;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns records in Debezium's envelope, with their schemas (Kafka Connect's JsonConverter with
 * {@code schemas.enable=true}, as Siphon's sink and Debezium write them), back into change events:
 * {@code c} and {@code r} into inserts (upserts at the sink), {@code u} into updates, {@code d}
 * into deletes, {@code t} into truncates; tombstones are skipped.
 *
 * <p>Each record's schema says the table's columns and types ({@link SemanticType}), its key's
 * schema the primary key. A record whose columns differ from those of the table so far is preceded
 * by the schema changes between the two ({@link SchemaDiff}: added, dropped and retyped columns; a
 * renamed column shows as a drop and an add). One per stream; not thread-safe.
 */
final class EnvelopeReader {

    private final JsonMapper json = JsonMapper.builder().build();
    private final RecordDecoder decoder =
            new RecordDecoder(
                    new Encoding(true, Encoding.Decimals.PRECISE, Encoding.Times.ADAPTIVE));
    private final Map<TableId, TableSchema> schemas;
    private final Map<TableId, JsonNode> lastSchemaNode = new HashMap<>();

    /**
     * @param known the schema of each table so far (the first record's schema is compared with it)
     */
    EnvelopeReader(Map<TableId, TableSchema> known) {
        this.schemas = new HashMap<>(known);
    }

    /** The schema of each table as of the last record read (or as given). */
    Map<TableId, TableSchema> schemas() {
        return Map.copyOf(schemas);
    }

    /**
     * Appends the events of one record of a table's topic to {@code out}: schema changes first,
     * when its columns differ from the table's so far, then its change; nothing for a tombstone.
     *
     * @param position the position after the record, for its events
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} for a record that is not a change
     *     event with its schema
     */
    void read(
            TableId table,
            ConsumerRecord<byte[], byte[]> record,
            KafkaOffset position,
            List<ChangeEvent> out) {
        if (record.value() == null) {
            return;
        }
        JsonNode value = parse(record, record.value());
        JsonNode schema = value.get("schema");
        JsonNode payload = value.get("payload");
        if (schema == null || payload == null || !schema.isObject()) {
            throw invalid(
                    record,
                    "carries no schema; the source reads records written with schemas"
                            + " (Siphon's sink with 'schemas: true', the default; Kafka Connect's"
                            + " JsonConverter with schemas.enable=true)");
        }
        if (payload.isNull()) {
            return;
        }
        JsonNode op = payload.get("op");
        if (op == null || !op.isString()) {
            throw invalid(
                    record,
                    "is not a change event in Debezium's envelope (no 'op'; format 'row' cannot be"
                            + " read back)");
        }
        TableSchema current = schemaOf(table, record, schema);
        JsonNode source = payload.get("source");
        EventMeta meta = meta(position, source);
        TableSchema before = schemas.get(table);
        if (before == null) {
            out.add(new ChangeEvent.CreateTable(table, current, meta));
        } else if (!before.columns().equals(current.columns())) {
            out.addAll(
                    SchemaDiff.diff(
                            table,
                            before.columns(),
                            current.columns(),
                            meta,
                            (from, previous, renamed) -> false));
        }
        schemas.put(table, current);
        Row beforeRow = decoded(record, payload.get("before"), current);
        Row afterRow = decoded(record, payload.get("after"), current);
        switch (op.asString()) {
            case "c", "r" ->
                    out.add(
                            new ChangeEvent.Insert(
                                    table, required(record, afterRow, "after"), meta));
            case "u" -> {
                Row after = required(record, afterRow, "after");
                if (current.hasPrimaryKey()) {
                    out.add(
                            new ChangeEvent.Update(
                                    table,
                                    keyOnly(current, beforeRow != null ? beforeRow : after),
                                    true,
                                    after,
                                    meta));
                } else {
                    out.add(
                            new ChangeEvent.Update(
                                    table,
                                    required(record, beforeRow, "before"),
                                    false,
                                    after,
                                    meta));
                }
            }
            case "d" -> {
                Row old = required(record, beforeRow, "before");
                out.add(
                        current.hasPrimaryKey()
                                ? new ChangeEvent.Delete(table, keyOnly(current, old), true, meta)
                                : new ChangeEvent.Delete(table, old, false, meta));
            }
            case "t" -> out.add(new ChangeEvent.Truncate(table, meta));
            default ->
                    throw invalid(
                            record, "has op '" + op.asString() + "', not one of c, u, d, r, t");
        }
    }

    /**
     * The schema of a table as one record with a schema says it (discovery).
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} for a record without a schema
     */
    static TableSchema schemaOf(TableId table, ConsumerRecord<byte[], byte[]> record) {
        EnvelopeReader reader = new EnvelopeReader(Map.of());
        JsonNode schema = reader.parse(record, record.value()).get("schema");
        if (schema == null || !schema.isObject()) {
            throw invalid(record, "carries no schema");
        }
        return reader.schemaOf(table, record, schema);
    }

    /**
     * The table's schema as the record's value and key schemas say; the same instance while they
     * stay the same, so that a run of records of one schema is read without deriving it again.
     */
    private TableSchema schemaOf(
            TableId table, ConsumerRecord<byte[], byte[]> record, JsonNode schema) {
        TableSchema known = schemas.get(table);
        if (known != null && schema.equals(lastSchemaNode.get(table))) {
            return known;
        }
        JsonNode row = rowSchema(schema);
        if (row == null) {
            throw invalid(record, "has no 'after' struct in its schema");
        }
        // A truncate has no key; neither has any record of a table without one.
        List<String> key = known == null ? List.of() : known.primaryKey();
        if (record.key() != null) {
            JsonNode keySchema = parse(record, record.key()).get("schema");
            if (keySchema != null && keySchema.has("fields")) {
                key = new ArrayList<>();
                for (JsonNode f : keySchema.get("fields")) {
                    key.add(f.get("field").asString());
                }
            }
        }
        TableSchema derived;
        try {
            derived = new TableSchema(table, columns(row), key);
        } catch (IllegalArgumentException e) {
            // A duplicate column, a key field that is no column, a type parameter missing.
            throw invalid(record, "has a schema that does not describe a table: " + e.getMessage());
        }
        lastSchemaNode.put(table, schema);
        return derived;
    }

    /** The {@code after} (else {@code before}) struct's schema of an envelope schema. */
    private static JsonNode rowSchema(JsonNode envelope) {
        JsonNode found = null;
        for (JsonNode f : envelope.path("fields")) {
            String name = f.path("field").asString();
            if (name.equals("after") || (name.equals("before") && found == null)) {
                found = f;
            }
        }
        return found;
    }

    /** The columns of a struct schema, each field's type read back by {@link #type}. */
    static List<Column> columns(JsonNode struct) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode f : struct.path("fields")) {
            columns.add(
                    new Column(
                            f.get("field").asString(),
                            type(f),
                            f.path("optional").asBoolean(false),
                            null));
        }
        return columns;
    }

    /**
     * The model type of a field's schema: by its name when {@link SemanticType} knows it, else by
     * its Connect type (a name it does not know, such as Debezium's {@code NanoTimestamp}, reads as
     * the plain number, text or bytes).
     */
    static DataType type(JsonNode schema) {
        String name = schema.path("name").asString(null);
        if (name != null) {
            var semantic = SemanticType.named(name);
            if (semantic.isPresent()) {
                Map<String, String> parameters = new HashMap<>();
                for (Map.Entry<String, JsonNode> p : schema.path("parameters").properties()) {
                    parameters.put(p.getKey(), p.getValue().asString());
                }
                return semantic.get().readType(parameters);
            }
        }
        String type = schema.path("type").asString("");
        return switch (type) {
            case "boolean" -> new DataType.BooleanType();
            case "int8", "int16" -> new DataType.Int16();
            case "int32" -> new DataType.Int32();
            case "int64" -> new DataType.Int64();
            case "float", "float32" -> new DataType.Float32();
            case "double", "float64" -> new DataType.Float64();
            case "string" -> DataType.StringType.unbounded();
            case "bytes" -> new DataType.BinaryType(DataType.UNBOUNDED);
            case "array" -> new DataType.ArrayType(type(schema.path("items")));
            default -> new DataType.OtherType(name != null ? name : type);
        };
    }

    private static EventMeta meta(KafkaOffset position, JsonNode source) {
        Instant committed = null;
        String transaction = null;
        if (source != null && source.isObject()) {
            JsonNode ts = source.get("ts_ms");
            if (ts != null && ts.isNumber()) {
                committed = Instant.ofEpochMilli(ts.asLong());
            }
            JsonNode tx = source.get("txId");
            if (tx != null && !tx.isNull()) {
                transaction = tx.asString();
            }
        }
        return new EventMeta(position, committed, transaction);
    }

    private Row decoded(ConsumerRecord<byte[], byte[]> record, JsonNode node, TableSchema table) {
        try {
            return decoder.row(node, table);
        } catch (SiphonException e) {
            throw invalid(record, e.getMessage());
        }
    }

    private static Row keyOnly(TableSchema table, Row row) {
        Object[] values = new Object[table.columns().size()];
        for (int i : table.keyIndexes()) {
            values[i] = row.get(i);
        }
        return new Row(values);
    }

    private static Row required(ConsumerRecord<byte[], byte[]> record, Row row, String side) {
        if (row == null) {
            throw invalid(
                    record,
                    "has no '"
                            + side
                            + "' row, which its op needs (a table without a key needs the whole old"
                            + " row: REPLICA IDENTITY FULL at a PostgreSQL source)");
        }
        return row;
    }

    private JsonNode parse(ConsumerRecord<byte[], byte[]> record, byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid(record, "is not JSON: " + e.getOriginalMessage());
        }
    }

    private static SiphonException invalid(ConsumerRecord<?, ?> record, String what) {
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "The record at offset "
                        + record.offset()
                        + " of "
                        + record.topic()
                        + "["
                        + record.partition()
                        + "] "
                        + what);
    }
}
