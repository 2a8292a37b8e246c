package io.siphon.connector.kafka;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.time.Instant;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schema change events in the shape of Debezium's schema change topic: the key names the database
 * (here the schema), the value carries {@code source}, {@code ts_ms}, {@code databaseName}, {@code
 * schemaName}, {@code ddl} (a description of the change, since Siphon's changes are not DDL text)
 * and {@code tableChanges} with the table's columns after the change. Written as plain JSON,
 * without a schema.
 */
final class SchemaChangeEvents {

    private final JsonMapper json;
    private final SourceBlock source;

    SchemaChangeEvents(JsonMapper json, SourceBlock source) {
        this.json = json;
        this.source = source;
    }

    byte[] key(TableId table) {
        return JsonBytes.of(
                json,
                g -> {
                    g.writeStartObject();
                    g.writeStringProperty("databaseName", table.schema());
                    g.writeEndObject();
                });
    }

    byte[] value(
            TableSchema before, TableSchema after, ChangeEvent.SchemaChange change, Instant now) {
        Map<String, Object> fields =
                change.meta().position() == null
                        ? Map.of()
                        : change.meta().position().sourceFields();
        SourceBlock.Layout layout = SourceBlock.Layout.of(fields);
        return JsonBytes.of(
                json,
                g -> {
                    g.writeStartObject();
                    g.writeName("source");
                    source.values(g, layout, fields, change.table(), change.meta(), false, now);
                    g.writeNumberProperty("ts_ms", now.toEpochMilli());
                    g.writeStringProperty("databaseName", before.id().schema());
                    g.writeStringProperty("schemaName", before.id().schema());
                    g.writeStringProperty("ddl", describe(change));
                    g.writeName("tableChanges");
                    g.writeStartArray();
                    g.writeStartObject();
                    g.writeStringProperty("type", type(change));
                    g.writeStringProperty(
                            "id",
                            TableId.quote(before.id().schema())
                                    + "."
                                    + TableId.quote(before.id().table()));
                    g.writeName("table");
                    table(g, after);
                    g.writeEndObject();
                    g.writeEndArray();
                    g.writeEndObject();
                });
    }

    private static void table(JsonGenerator g, TableSchema table) {
        g.writeStartObject();
        g.writeNullProperty("defaultCharsetName");
        g.writeName("primaryKeyColumnNames");
        g.writeStartArray();
        for (String k : table.primaryKey()) {
            g.writeString(k);
        }
        g.writeEndArray();
        g.writeName("columns");
        g.writeStartArray();
        int position = 1;
        for (Column c : table.columns()) {
            g.writeStartObject();
            g.writeStringProperty("name", c.name());
            g.writeStringProperty(
                    "typeName", c.nativeType() != null ? c.nativeType() : c.type().toString());
            g.writeNumberProperty("position", position++);
            g.writeBooleanProperty("optional", c.nullable());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String type(ChangeEvent.SchemaChange change) {
        return switch (change) {
            case ChangeEvent.CreateTable c -> "CREATE";
            case ChangeEvent.DropTable d -> "DROP";
            case ChangeEvent.RenameTable r -> "ALTER";
            case ChangeEvent.AddColumn a -> "ALTER";
            case ChangeEvent.DropColumn d -> "ALTER";
            case ChangeEvent.RenameColumn r -> "ALTER";
            case ChangeEvent.AlterColumnType t -> "ALTER";
        };
    }

    private static String describe(ChangeEvent.SchemaChange change) {
        String table = change.table().toString();
        return switch (change) {
            case ChangeEvent.CreateTable c -> "CREATE TABLE " + table;
            case ChangeEvent.DropTable d -> "DROP TABLE " + table;
            case ChangeEvent.RenameTable r -> "ALTER TABLE " + table + " RENAME TO " + r.newName();
            case ChangeEvent.AddColumn a ->
                    "ALTER TABLE " + table + " ADD COLUMN " + a.column().name();
            case ChangeEvent.DropColumn d ->
                    "ALTER TABLE " + table + " DROP COLUMN " + d.columnName();
            case ChangeEvent.RenameColumn r ->
                    "ALTER TABLE " + table + " RENAME COLUMN " + r.oldName() + " TO " + r.newName();
            case ChangeEvent.AlterColumnType t ->
                    "ALTER TABLE "
                            + table
                            + " ALTER COLUMN "
                            + t.column().name()
                            + " TYPE "
                            + t.column().type();
        };
    }
}
