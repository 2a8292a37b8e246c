package io.siphon.connector.opensearch;

import io.siphon.model.TableId;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Actions waiting for one {@code _bulk} request, in the order they were added (OpenSearch applies
 * the actions of one id in request order, which keeps each key's order), with what each one is for,
 * so that a refused one can be named.
 */
final class BulkBatch {

    /**
     * One action: where its lines are in the body and what it is for.
     *
     * @param table the target table
     * @param key the key for messages ({@code id=5}), or the id of a keyless table's row
     * @param start offset of its first line in the body
     * @param end offset after its last line
     */
    record Item(TableId table, String key, int start, int end) {}

    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
    private final List<Item> items = new ArrayList<>();

    /** Adds an {@code index} action: the document replaces whatever the id held. */
    void index(String index, String id, TableId table, String key, byte[] document) {
        int start = body.size();
        action("index", index, id);
        body.writeBytes(document);
        body.write('\n');
        items.add(new Item(table, key, start, body.size()));
    }

    /** Adds an {@code update} action that sets the fields of {@code partial} and keeps the rest. */
    void update(String index, String id, TableId table, String key, byte[] partial) {
        int start = body.size();
        action("update", index, id);
        body.writeBytes("{\"doc\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(partial);
        body.write('}');
        body.write('\n');
        items.add(new Item(table, key, start, body.size()));
    }

    /** Adds a {@code delete} action; a missing document is not an error. */
    void delete(String index, String id, TableId table, String key) {
        int start = body.size();
        action("delete", index, id);
        items.add(new Item(table, key, start, body.size()));
    }

    private void action(String kind, String index, String id) {
        try (JsonGenerator g = OpenSearchHttp.JSON.createGenerator(body)) {
            g.writeStartObject();
            g.writeName(kind);
            g.writeStartObject();
            g.writeStringProperty("_index", index);
            g.writeStringProperty("_id", id);
            g.writeEndObject();
            g.writeEndObject();
        }
        body.write('\n');
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** The body's size in bytes. */
    int bytes() {
        return body.size();
    }

    /** The actions, in order. */
    List<Item> items() {
        return List.copyOf(items);
    }

    /** The request body of some of the actions, in their order. */
    byte[] body(List<Item> subset) {
        byte[] all = body.toByteArray();
        if (subset.size() == items.size()) {
            return all;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item item : subset) {
            out.write(all, item.start(), item.end() - item.start());
        }
        return out.toByteArray();
    }

    /** Drops every action, after they were sent. */
    void clear() {
        body.reset();
        items.clear();
    }
}
