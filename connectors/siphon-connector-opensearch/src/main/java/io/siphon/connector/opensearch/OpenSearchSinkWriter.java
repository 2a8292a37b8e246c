package io.siphon.connector.opensearch;

import io.siphon.connector.support.change.NetChanges;
import io.siphon.connector.support.schema.TargetSchemas;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.WriteMode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes rows and changes as bulk actions: an upsert is an {@code index} of the whole document, a
 * delete a {@code delete} by id, an update that left some values out (TOAST) an {@code update} of
 * the fields it has. Changes of one call are coalesced per key first ({@link NetChanges}); actions
 * wait in a batch until it is full or {@link #flush()}, and go out in order, so each key ends as
 * its last change leaves it. Nothing is transactional: a crash after a bulk request and before the
 * engine stored its position replays changes that the idempotent writes absorb.
 */
final class OpenSearchSinkWriter implements SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSinkWriter.class);

    private final Indexes indexes;
    private final BulkSender sender;
    private final int bulkBytes;
    private final BulkBatch batch = new BulkBatch();

    OpenSearchSinkWriter(Indexes indexes, BulkSender sender, int bulkBytes) {
        this.indexes = indexes;
        this.sender = sender;
        this.bulkBytes = bulkBytes;
    }

    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode) {
        String index = indexes.name(table.id());
        for (Row row : rows) {
            upsert(table, index, row);
        }
        sendIfFull();
    }

    @Override
    public void apply(TableSchema table, List<ChangeEvent> changes) {
        String index = indexes.name(table.id());
        List<ChangeEvent.DataChange> run = new ArrayList<>();
        for (ChangeEvent change : changes) {
            switch (change) {
                case ChangeEvent.DataChange d -> run.add(d);
                case ChangeEvent.Truncate t -> {
                    applyRun(table, index, run);
                    run.clear();
                    sender.send(batch);
                    indexes.deleteAll(index);
                }
                case ChangeEvent.SchemaChange s ->
                        throw new SiphonException(
                                ErrorCode.INTERNAL_ERROR,
                                "a schema change of "
                                        + s.table()
                                        + " came among data changes; it goes to"
                                        + " applySchemaChange");
            }
        }
        applyRun(table, index, run);
        sendIfFull();
    }

    private void applyRun(TableSchema table, String index, List<ChangeEvent.DataChange> run) {
        if (run.isEmpty()) {
            return;
        }
        switch (NetChanges.of(table, run)) {
            case NetChanges.Keyed keyed -> {
                // First: an update that moved its key reads the old document, which the deletes
                // below remove.
                for (NetChanges.PartialUpdate p : keyed.partialUpdates()) {
                    partial(table, index, p);
                }
                for (Row key : keyed.deletes()) {
                    batch.delete(
                            index,
                            Documents.keyId(table, key),
                            table.id(),
                            Documents.describeKey(table, key));
                }
                for (Row row : keyed.upserts()) {
                    upsert(table, index, row);
                }
            }
            case NetChanges.Keyless keyless -> {
                for (Row row : keyless.deletes()) {
                    String id =
                            Documents.wholeRowId(Documents.document(table, row, indexes.layout()));
                    batch.delete(index, id, table.id(), "(whole row) " + id);
                }
                for (Row row : keyless.inserts()) {
                    upsert(table, index, row);
                }
            }
        }
    }

    private void upsert(TableSchema table, String index, Row row) {
        byte[] document = Documents.document(table, row, indexes.layout());
        if (table.hasPrimaryKey()) {
            Row key = Documents.keyOf(table, row);
            batch.index(
                    index,
                    Documents.keyId(table, key),
                    table.id(),
                    Documents.describeKey(table, key),
                    document);
        } else {
            String id = Documents.wholeRowId(document);
            batch.index(index, id, table.id(), "(whole row) " + id, document);
        }
    }

    /**
     * An update that left values out: an {@code update} of the fields it has when the document
     * keeps its id; when the key changed too, the old document's values are read (after sending
     * what waits, so the read sees it) and the whole new document is indexed.
     */
    private void partial(TableSchema table, String index, NetChanges.PartialUpdate p) {
        Row key = Documents.keyOf(table, p.row());
        String id = Documents.keyId(table, key);
        String sourceId = Documents.keyId(table, p.sourceKey());
        byte[] fields = Documents.document(table, p.row(), indexes.layout());
        if (id.equals(sourceId)) {
            batch.update(index, id, table.id(), Documents.describeKey(table, key), fields);
            return;
        }
        sender.send(batch);
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.putArray("docs").addObject().put("_index", index).put("_id", sourceId);
        OpenSearchHttp.Reply old = indexes.http().send("POST", "/_mget", request.toString());
        JsonNode source = old.body().path("docs").path(0).path("_source");
        if (!source.isObject()) {
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_FAILED,
                    "An update of table "
                            + table.id()
                            + " moved key "
                            + Documents.describeKey(table, p.sourceKey())
                            + " to "
                            + Documents.describeKey(table, key)
                            + " and kept some values (TOAST), but index "
                            + index
                            + " has no document for the old key to take them from; copy the"
                            + " table again (siphon resnapshot)");
        }
        ObjectNode merged = (ObjectNode) source.deepCopy();
        ObjectNode changed = (ObjectNode) OpenSearchHttp.JSON.readTree(fields);
        for (Map.Entry<String, JsonNode> e : changed.properties()) {
            merged.set(e.getKey(), e.getValue());
        }
        batch.index(
                index,
                id,
                table.id(),
                Documents.describeKey(table, key),
                OpenSearchHttp.JSON.writeValueAsBytes(merged));
    }

    private void sendIfFull() {
        if (batch.bytes() >= bulkBytes) {
            sender.send(batch);
        }
    }

    /**
     * Follows a schema change at the index, after sending what waits: an added column becomes a
     * field in the mapping (its value for documents written before, when the source gave one, is
     * set by update-by-query); a dropped column is removed from every document (the mapping keeps
     * the field: OpenSearch cannot remove one); a renamed column moves its values to a new field; a
     * type change that indexes values the same way (a wider integer, a longer text) changes
     * nothing, any other one needs a reindex and fails, saying how. A dropped table keeps its
     * index; a renamed table fails, as the index name comes from the pipeline's rule.
     */
    @Override
    public TableSchema applySchemaChange(TableSchema table, ChangeEvent.SchemaChange change) {
        sender.send(batch);
        String index = indexes.name(table.id());
        return switch (change) {
            case ChangeEvent.CreateTable create ->
                    OpenSearchSink.prepare(indexes, create.schema().withId(table.id())).schema();
            case ChangeEvent.DropTable drop -> {
                LOG.warn(
                        "Table {} was dropped at the source; index {} is kept with its documents,"
                                + " because Siphon never drops data at the target. Delete it"
                                + " yourself if it is no longer needed",
                        drop.table(),
                        index);
                yield table;
            }
            case ChangeEvent.RenameTable rename ->
                    throw new SiphonException(
                            ErrorCode.SCHEMA_MISMATCH,
                            "Table "
                                    + rename.table()
                                    + " was renamed to "
                                    + rename.newName()
                                    + " at the source. Index "
                                    + index
                                    + " keeps its name: it comes from the pipeline's table and"
                                    + " index rules, which other users of the index may rely on."
                                    + " Adjust the pipeline's tables to the new name and copy the"
                                    + " table again (siphon resnapshot), or set schema-changes:"
                                    + " ignore");
            case ChangeEvent.AddColumn add -> addColumn(table, index, add);
            case ChangeEvent.DropColumn drop -> {
                if (table.indexOf(drop.columnName()) >= 0) {
                    ObjectNode params = JsonNodeFactory.instance.objectNode();
                    params.put("f", drop.columnName());
                    // A field holding null counts too: the key goes, whatever its value.
                    indexes.rewrite(
                            index,
                            "removing field " + drop.columnName(),
                            "if (ctx._source.containsKey(params.f)) {"
                                    + " ctx._source.remove(params.f) } else { ctx.op = 'noop' }",
                            params);
                }
                yield TargetSchemas.after(table, change);
            }
            case ChangeEvent.RenameColumn rename -> renameColumn(table, index, rename);
            case ChangeEvent.AlterColumnType alter -> alterColumnType(table, index, alter);
        };
    }

    private TableSchema addColumn(TableSchema table, String index, ChangeEvent.AddColumn add) {
        TableSchema after = TargetSchemas.after(table, add);
        Column column = add.column();
        ObjectNode existing = indexes.fields(index);
        if (existing == null) {
            return OpenSearchSink.prepare(indexes, after).schema();
        }
        JsonNode have = existing.get(column.name());
        ObjectNode wanted = indexes.mapping(after, column);
        if (have == null) {
            indexes.addFields(index, Map.of(column.name(), wanted));
        } else if (!Indexes.sameType(have, wanted)) {
            throw Indexes.reindexNeeded(index, table.id(), column, have, wanted).toException();
        }
        if (column.missingValue() != null) {
            setMissing(index, column);
        }
        return after;
    }

    /** Gives the documents without a value for an added column the source's value for them. */
    private void setMissing(String index, Column column) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = OpenSearchHttp.JSON.createGenerator(out)) {
            FieldEncoding.write(g, column.type(), column.missingValue(), indexes.layout());
        }
        indexes.refresh(index);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("query")
                .putObject("bool")
                .putObject("must_not")
                .putObject("exists")
                .put("field", column.name());
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless");
        script.put("source", "ctx._source[params.f] = params.v");
        ObjectNode params = script.putObject("params");
        params.put("f", column.name());
        params.set("v", OpenSearchHttp.JSON.readTree(out.toByteArray()));
        OpenSearchHttp.Reply reply =
                indexes.http()
                        .send(
                                "POST",
                                "/" + index + "/_update_by_query?conflicts=proceed&refresh=true",
                                body.toString());
        if (!reply.ok()) {
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_FAILED,
                    "OpenSearch failed setting added field "
                            + column.name()
                            + " of index "
                            + index
                            + ": "
                            + reply.error());
        }
    }

    private TableSchema renameColumn(
            TableSchema table, String index, ChangeEvent.RenameColumn rename) {
        TableSchema after = TargetSchemas.after(table, rename);
        if (table.indexOf(rename.oldName()) < 0) {
            return after;
        }
        Column column = after.column(rename.newName());
        ObjectNode existing = indexes.fields(index);
        if (existing != null && existing.get(rename.newName()) == null) {
            indexes.addFields(index, Map.of(rename.newName(), indexes.mapping(after, column)));
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("o", rename.oldName());
        params.put("n", rename.newName());
        indexes.rewrite(
                index,
                "moving field " + rename.oldName() + " to " + rename.newName(),
                "if (ctx._source.containsKey(params.o)) {"
                        + " ctx._source[params.n] = ctx._source.remove(params.o) }"
                        + " else { ctx.op = 'noop' }",
                params);
        return after;
    }

    private TableSchema alterColumnType(
            TableSchema table, String index, ChangeEvent.AlterColumnType alter) {
        TableSchema after = TargetSchemas.after(table, alter);
        ObjectNode existing = indexes.fields(index);
        if (existing == null) {
            return OpenSearchSink.prepare(indexes, after).schema();
        }
        Column column = after.column(alter.column().name());
        JsonNode have = existing.get(column.name());
        ObjectNode wanted = indexes.mapping(after, column);
        if (have == null) {
            indexes.addFields(index, Map.of(column.name(), wanted));
        } else if (!Indexes.sameType(have, wanted)) {
            throw Indexes.reindexNeeded(index, table.id(), column, have, wanted).toException();
        }
        return after;
    }

    /** Sends every waiting action; OpenSearch has them in its translog when it answers. */
    @Override
    public void flush() {
        sender.send(batch);
    }

    /** Drops actions not sent; the engine replays them after a restart. */
    @Override
    public void close() {
        batch.clear();
    }
}
