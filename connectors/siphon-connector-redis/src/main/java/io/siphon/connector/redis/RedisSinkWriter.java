package io.siphon.connector.redis;

import static io.siphon.connector.redis.RedisRows.utf8;

import io.siphon.connector.support.schema.TypeWidening;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.WriteMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes rows and changes to Redis over one connection, in one pipeline: commands are sent as they
 * come and their replies read at {@link #flush()}, before a read, or every {@code
 * pipeline-commands} commands. One connection keeps the order of the commands, so each key ends as
 * its last change leaves it.
 *
 * <ul>
 *   <li>A row is a hash ({@code HSET} of its non-null columns, {@code HDEL} of its null ones) or a
 *       JSON string ({@code SET}); with a TTL, the key's time to live is set on every write.
 *   <li>A delete removes the key; an update that changed the key removes the old key.
 *   <li>{@link Unchanged} values (PostgreSQL TOAST) leave the stored value: a hash keeps the field;
 *       a JSON row, or a row that moved to a new key, takes it from the stored row, read first.
 *   <li>Index sets need the row's old values, so where a table has some, the stored rows of the
 *       keys a call changes are read first (one pipelined read per call).
 *   <li>A truncate removes every key of the table, found with {@code SCAN MATCH}.
 * </ul>
 *
 * <p>Redis has no transactions that a crash would roll back: writes are at-least-once, and a replay
 * writes the same keys to the same values. Row values are never logged.
 */
final class RedisSinkWriter implements SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSinkWriter.class);

    private static final byte[] RENAME_FIELD =
            utf8(
                    "local v = redis.call('HGET', KEYS[1], ARGV[1]) if v then"
                            + " redis.call('HSET', KEYS[1], ARGV[2], v)"
                            + " redis.call('HDEL', KEYS[1], ARGV[1]) end return 0");

    private final RedisLayout layout;
    private final Jedis jedis;
    private final int maxQueued;
    private Pipeline pipeline;
    private int queued;
    private SiphonException failure;

    private final RowEncoder encoder;

    RedisSinkWriter(RedisEndpoint endpoint, RedisLayout layout, int maxQueued) {
        this.layout = layout;
        this.maxQueued = maxQueued;
        this.encoder = new RowEncoder(layout);
        this.jedis = endpoint.connect();
        this.pipeline = jedis.pipelined();
    }

    /**
     * Writes rows. Hashes of a table without index sets need nothing read or remembered: each row
     * is its {@code HSET} (and {@code HDEL} of its null columns), and the commands run in order, so
     * those rows go straight into the pipeline.
     */
    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode) {
        boolean mayExist = mode == WriteMode.UPSERT;
        if (layout.json() || !layout.indexes(table).isEmpty()) {
            List<ChangeEvent> inserts = new ArrayList<>(rows.size());
            for (Row row : rows) {
                inserts.add(new ChangeEvent.Insert(table.id(), row, EventMeta.NONE));
            }
            // An empty table has no old rows to read for the index sets.
            apply(table, inserts, mayExist);
            return;
        }
        writing(
                table,
                () -> {
                    for (Row row : rows) {
                        Object[] values = row.values();
                        writeHash(encoder.reusedKey(values), values, mayExist);
                        syncIfFull(table);
                    }
                });
    }

    @Override
    public void apply(TableSchema table, List<ChangeEvent> changes) {
        apply(table, changes, true);
    }

    private void apply(TableSchema table, List<ChangeEvent> changes, boolean mayExist) {
        writing(
                table,
                () -> {
                    List<String> indexes = layout.indexes(table);
                    Map<String, Object[]> known =
                            read(table, keysToRead(table, changes, indexes, mayExist));
                    for (ChangeEvent change : changes) {
                        switch (change) {
                            case ChangeEvent.Insert i ->
                                    upsert(
                                            table,
                                            indexes,
                                            i.after().values(),
                                            null,
                                            known,
                                            mayExist);
                            case ChangeEvent.Update u -> update(table, indexes, u, known);
                            case ChangeEvent.Delete d ->
                                    delete(table, indexes, rowKey(d.before().values()), known);
                            case ChangeEvent.Truncate t -> {
                                truncate(table);
                                known.replaceAll((k, v) -> null);
                            }
                            case ChangeEvent.SchemaChange s ->
                                    throw new SiphonException(
                                            ErrorCode.INTERNAL_ERROR,
                                            "A schema change of "
                                                    + s.table()
                                                    + " reached apply(); it goes to"
                                                    + " applySchemaChange()");
                        }
                        syncIfFull(table);
                    }
                });
    }

    /** Runs writes to a table; a failure makes the writer unusable until it is closed. */
    private void writing(TableSchema table, Runnable writes) {
        ensureUsable();
        encoder.encodeFor(table);
        try {
            writes.run();
        } catch (JedisException e) {
            throw fail(RedisEndpoint.translate(e, "writing to " + table.id()));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    private void syncIfFull(TableSchema table) {
        if (queued >= maxQueued) {
            sync("writing to " + table.id());
        }
    }

    /** The keys whose stored rows a call needs: for unchanged values, and for index sets. */
    private Set<String> keysToRead(
            TableSchema table, List<ChangeEvent> changes, List<String> indexes, boolean mayExist) {
        Set<String> keys = new LinkedHashSet<>();
        boolean indexed = !indexes.isEmpty() && mayExist;
        for (ChangeEvent change : changes) {
            switch (change) {
                case ChangeEvent.Insert i -> {
                    if (indexed || (layout.json() && hasUnchanged(i.after()))) {
                        keys.add(rowKey(i.after().values()));
                    }
                }
                case ChangeEvent.Update u -> {
                    String oldKey = rowKey(u.before().values());
                    if (indexed || hasUnchanged(u.after())) {
                        keys.add(oldKey);
                    }
                    if (indexed) {
                        keys.add(rowKey(resolved(table, u)));
                    }
                }
                case ChangeEvent.Delete d -> {
                    if (indexed) {
                        keys.add(rowKey(d.before().values()));
                    }
                }
                case ChangeEvent.Truncate t -> {}
                case ChangeEvent.SchemaChange s -> {}
            }
        }
        return keys;
    }

    private void update(
            TableSchema table,
            List<String> indexes,
            ChangeEvent.Update u,
            Map<String, Object[]> known) {
        Object[] after = resolved(table, u);
        String oldKey = rowKey(u.before().values());
        String newKey = rowKey(after);
        if (oldKey.equals(newKey)) {
            upsert(table, indexes, after, null, known, true);
            return;
        }
        Object[] moved = known.get(oldKey);
        delete(table, indexes, oldKey, known);
        upsert(table, indexes, after, moved, known, true);
    }

    /**
     * The new row of an update; in a table without a key, whose key is every column, an unchanged
     * value is the old row's (complete there).
     */
    private static Object[] resolved(TableSchema table, ChangeEvent.Update u) {
        Object[] after = u.after().values();
        if (table.hasPrimaryKey() || u.beforeIsKeyOnly() || !hasUnchanged(u.after())) {
            return after;
        }
        Object[] copy = after.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == Unchanged.VALUE) {
                copy[i] = u.before().get(i);
            }
        }
        return copy;
    }

    /**
     * Writes a row. Unchanged values are taken from {@code movedFrom} (the row's stored values
     * under its old key) or else from what is known of the key; unknown ones stay unchanged.
     */
    private void upsert(
            TableSchema table,
            List<String> indexes,
            Object[] values,
            Object[] movedFrom,
            Map<String, Object[]> known,
            boolean mayExist) {
        String key = rowKey(values);
        byte[] rawKey = utf8(key);
        Object[] previous = movedFrom != null ? movedFrom : known.get(key);
        Object[] row = values;
        if (Arrays.asList(values).contains(Unchanged.VALUE)) {
            row = values.clone();
            for (int i = 0; i < row.length; i++) {
                if (row[i] == Unchanged.VALUE && previous != null) {
                    row[i] = previous[i];
                }
            }
        }
        if (layout.json()) {
            SetParams params = new SetParams();
            if (!layout.ttl().isZero()) {
                params.px(layout.ttl().toMillis());
            }
            pipeline.set(rawKey, RedisRows.document(table, row), params);
            queued++;
        } else {
            writeHash(rawKey, row, mayExist);
        }
        for (String column : indexes) {
            int i = table.indexOf(column);
            Object now = row[i] == Unchanged.VALUE ? null : row[i];
            Object before = previous == null ? null : previous[i];
            if (before != null && !sameValue(table.columns().get(i), before, now)) {
                pipeline.srem(utf8(layout.indexKey(table, column, before)), rawKey);
                queued++;
            }
            if (now != null) {
                pipeline.sadd(utf8(layout.indexKey(table, column, now)), rawKey);
                queued++;
            }
        }
        known.put(key, row);
    }

    /**
     * A row as a hash: its non-null values set, its null ones removed, its time to live set.
     *
     * @param rawKey the row's key; it may be {@link RowEncoder#reusedKey}'s array, as every command
     *     is sent before this returns
     */
    private void writeHash(byte[] rawKey, Object[] row, boolean mayExist) {
        CommandArguments hset = encoder.hset(rawKey, row);
        if (hset != null) {
            pipeline.sendCommand(hset);
            queued++;
        }
        // A key that cannot exist yet (a bulk load into an empty table) has no fields to clear.
        if (mayExist) {
            byte[][] nulls = encoder.nullFields(row);
            if (nulls.length > 0) {
                pipeline.hdel(rawKey, nulls);
                queued++;
            }
        }
        if (!layout.ttl().isZero()) {
            pipeline.pexpire(rawKey, layout.ttl().toMillis());
            queued++;
        }
    }

    /** A row's key; the encoder is ready for its table. */
    private String rowKey(Object[] values) {
        return RedisRows.text(encoder.key(values));
    }

    private void delete(
            TableSchema table, List<String> indexes, String key, Map<String, Object[]> known) {
        byte[] rawKey = utf8(key);
        pipeline.del(rawKey);
        queued++;
        Object[] previous = known.get(key);
        if (previous != null) {
            for (String column : indexes) {
                Object before = previous[table.indexOf(column)];
                if (before != null) {
                    pipeline.srem(utf8(layout.indexKey(table, column, before)), rawKey);
                    queued++;
                }
            }
        }
        known.put(key, null);
    }

    /** Removes every key of the table (rows and index sets), after the commands before it. */
    private void truncate(TableSchema table) {
        sync("writing to " + table.id());
        RedisRows.scanTable(
                jedis,
                layout,
                table.id(),
                keys -> {
                    pipeline.unlink(keys.toArray(byte[][]::new));
                    queued++;
                    // The next scan step needs the connection to itself.
                    sync("truncating " + table.id());
                });
    }

    /** The stored rows of some keys (null where there is none), in one pipelined read. */
    private Map<String, Object[]> read(TableSchema table, Set<String> keys) {
        Map<String, Object[]> rows = new HashMap<>();
        if (keys.isEmpty()) {
            return rows;
        }
        Map<String, Response<?>> replies = new HashMap<>();
        for (String key : keys) {
            replies.put(key, layout.json() ? pipeline.get(utf8(key)) : pipeline.hgetAll(utf8(key)));
            queued++;
        }
        sync("reading rows of " + table.id());
        replies.forEach(
                (key, reply) -> {
                    Object stored = reply.get();
                    rows.put(
                            key,
                            layout.json()
                                    ? RedisRows.fromDocument(table, (byte[]) stored)
                                    : RedisRows.fromHash(table, castHash(stored)));
                });
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Map<byte[], byte[]> castHash(Object stored) {
        return (Map<byte[], byte[]>) stored;
    }

    @Override
    public TableSchema applySchemaChange(TableSchema table, ChangeEvent.SchemaChange change) {
        ensureUsable();
        try {
            sync("writing to " + table.id());
            return switch (change) {
                case ChangeEvent.CreateTable create -> create.schema().withId(table.id());
                case ChangeEvent.DropTable drop -> {
                    LOG.warn(
                            "Table {} was dropped at the source; the keys of target table {} are"
                                    + " kept, because Siphon never drops data at the target",
                            drop.table(),
                            table.id());
                    yield table;
                }
                case ChangeEvent.RenameTable rename ->
                        throw new SiphonException(
                                ErrorCode.SCHEMA_MISMATCH,
                                "Table "
                                        + rename.table()
                                        + " was renamed to "
                                        + rename.newName()
                                        + " at the source. The keys of target table "
                                        + table.id()
                                        + " keep their names: the target's name comes from the"
                                        + " pipeline's table rule. Adjust the pipeline's tables"
                                        + " and table rule before running it again, or set"
                                        + " schema-changes: ignore");
                // A missing hash field or JSON member reads as NULL: old rows need nothing.
                case ChangeEvent.AddColumn add -> table.evolve(add);
                case ChangeEvent.DropColumn drop -> {
                    rewriteColumn(table, drop.columnName(), null);
                    yield table.evolve(drop);
                }
                case ChangeEvent.RenameColumn rename -> {
                    rewriteColumn(table, rename.oldName(), rename.newName());
                    yield table.evolve(rename);
                }
                case ChangeEvent.AlterColumnType alter -> alterType(table, alter);
            };
        } catch (JedisException e) {
            throw fail(RedisEndpoint.translate(e, "changing the layout of " + table.id()));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    /** A widening keeps every stored text readable as the wider type; nothing else does. */
    private static TableSchema alterType(TableSchema table, ChangeEvent.AlterColumnType alter) {
        Column old = table.column(alter.column().name());
        if (!TypeWidening.widens(old.type(), alter.column().type())) {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Column "
                            + old.name()
                            + " of "
                            + table.id()
                            + " changed from "
                            + old.type()
                            + " to "
                            + alter.column().type()
                            + ", which does not widen it: its stored values may not read as the"
                            + " new type. Copy the table again (re-snapshot), or set"
                            + " schema-changes: ignore");
        }
        return table.evolve(alter);
    }

    /**
     * Removes ({@code newName} null) or renames a column in every stored row of a table, and its
     * index sets with it.
     */
    private void rewriteColumn(TableSchema table, String column, String newName) {
        String indexStart =
                layout.tableStart(table.id()) + "#index:" + RedisLayout.part(column) + ":";
        RedisRows.scanTable(
                jedis,
                layout,
                table.id(),
                keys -> {
                    List<byte[]> rows = new ArrayList<>();
                    for (byte[] key : keys) {
                        String name = RedisRows.text(key);
                        if (name.startsWith(indexStart)) {
                            if (newName == null) {
                                pipeline.unlink(key);
                            } else {
                                String renamed =
                                        layout.tableStart(table.id())
                                                + "#index:"
                                                + RedisLayout.part(newName)
                                                + ":"
                                                + name.substring(indexStart.length());
                                pipeline.rename(key, utf8(renamed));
                            }
                            queued++;
                        } else if (layout.isRowKey(table.id(), name)) {
                            rows.add(key);
                        }
                    }
                    if (layout.json()) {
                        rewriteDocuments(rows, column, newName);
                    } else {
                        for (byte[] key : rows) {
                            if (newName == null) {
                                pipeline.hdel(key, utf8(column));
                            } else {
                                pipeline.eval(
                                        RENAME_FIELD,
                                        List.of(key),
                                        List.of(utf8(column), utf8(newName)));
                            }
                            queued++;
                        }
                    }
                    sync("changing the layout of " + table.id());
                });
    }

    private void rewriteDocuments(List<byte[]> keys, String column, String newName) {
        List<Response<byte[]>> docs = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            docs.add(pipeline.get(key));
            queued++;
        }
        sync("reading rows");
        for (int i = 0; i < keys.size(); i++) {
            byte[] stored = docs.get(i).get();
            if (stored == null) {
                continue;
            }
            ObjectNode doc = (ObjectNode) RedisValues.JSON.readTree(stored);
            JsonNode value = doc.remove(column);
            if (newName != null && value != null) {
                doc.set(newName, value);
            }
            pipeline.set(
                    keys.get(i),
                    RedisValues.JSON.writeValueAsBytes(doc),
                    new SetParams().keepTtl());
            queued++;
        }
    }

    private static boolean sameValue(Column column, Object a, Object b) {
        return b != null
                && Objects.equals(
                        RedisValues.text(column.type(), a), RedisValues.text(column.type(), b));
    }

    private static boolean hasUnchanged(Row row) {
        for (Object v : row.values()) {
            if (v == Unchanged.VALUE) {
                return true;
            }
        }
        return false;
    }

    /** Sends what is queued and reads every reply; fails on the first error reply. */
    private void sync(String doing) {
        if (queued == 0) {
            return;
        }
        List<Object> replies = pipeline.syncAndReturnAll();
        queued = 0;
        for (Object reply : replies) {
            if (reply instanceof JedisDataException e) {
                throw RedisEndpoint.translate(e, doing);
            }
        }
    }

    @Override
    public void flush() {
        ensureUsable();
        try {
            sync("flushing");
        } catch (JedisException e) {
            throw fail(RedisEndpoint.translate(e, "flushing"));
        } catch (SiphonException e) {
            throw fail(e);
        }
    }

    private void ensureUsable() {
        if (failure != null) {
            throw new SiphonException(
                    failure.code(),
                    "This Redis writer failed before and must be closed: " + failure.getMessage(),
                    failure);
        }
    }

    private SiphonException fail(SiphonException e) {
        failure = e;
        return e;
    }

    @Override
    public void close() {
        // Not pipeline.close(), which would send what is queued: a writer closed without a flush
        // writes nothing more.
        jedis.close();
    }
}
