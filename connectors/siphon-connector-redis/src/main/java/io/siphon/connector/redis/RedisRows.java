package io.siphon.connector.redis;

import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A row as Redis holds it, both ways. A hash has one field per column named as the column, absent
 * for NULL; a JSON string is one object with a member per column, {@code null} for NULL. Values
 * follow {@link RedisValues}.
 */
final class RedisRows {

    private static final int SCAN_COUNT = 1000;

    private RedisRows() {}

    /** The hash field names of a table's columns, in column order. */
    static byte[][] fieldNames(TableSchema table) {
        byte[][] names = new byte[table.columns().size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = utf8(table.columns().get(i).name());
        }
        return names;
    }

    /**
     * The hash fields to remove for a row: its null columns.
     *
     * @param names the table's {@link #fieldNames}
     */
    static byte[][] nullFields(byte[][] names, Object[] values) {
        List<byte[]> nulls = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                nulls.add(names[i]);
            }
        }
        return nulls.toArray(byte[][]::new);
    }

    /** A row's JSON document; {@link Unchanged} columns are left out. */
    static byte[] document(TableSchema table, Object[] values) {
        ObjectNode doc = RedisValues.JSON.createObjectNode();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Unchanged.VALUE) {
                Column c = table.columns().get(i);
                doc.set(c.name(), RedisValues.json(c.type(), values[i]));
            }
        }
        return RedisValues.JSON.writeValueAsBytes(doc);
    }

    /** The row a hash holds, or null when the hash is empty (the key does not exist). */
    static Object[] fromHash(TableSchema table, Map<byte[], byte[]> hash) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        Map<String, byte[]> byName = new HashMap<>();
        hash.forEach((name, value) -> byName.put(new String(name, StandardCharsets.UTF_8), value));
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            Column c = table.columns().get(i);
            byte[] field = byName.get(c.name());
            values[i] = field == null ? null : RedisValues.fromField(c.type(), field);
        }
        return values;
    }

    /** The row a JSON document holds, or null when there is none. */
    static Object[] fromDocument(TableSchema table, byte[] document) {
        if (document == null) {
            return null;
        }
        JsonNode doc = RedisValues.JSON.readTree(document);
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            Column c = table.columns().get(i);
            values[i] = RedisValues.fromJson(c.type(), doc.get(c.name()));
        }
        return values;
    }

    /**
     * Calls {@code batch} with the keys of a table ({@code SCAN MATCH}, never {@code KEYS}), a scan
     * step at a time; rows and index sets alike.
     */
    static void scanTable(
            Jedis jedis, RedisLayout layout, TableId table, Consumer<List<byte[]>> batch) {
        scan(
                jedis,
                layout,
                table,
                keys -> {
                    batch.accept(keys);
                    return true;
                });
    }

    /** Whether a table has any key; stops at the first. */
    static boolean hasKeys(Jedis jedis, RedisLayout layout, TableId table) {
        return !scan(jedis, layout, table, keys -> false);
    }

    /**
     * Scans a table's keys while {@code more} says to go on after a non-empty step; true when the
     * scan went through.
     */
    private static boolean scan(
            Jedis jedis, RedisLayout layout, TableId table, Predicate<List<byte[]>> more) {
        ScanParams params =
                new ScanParams().match(utf8(layout.tablePattern(table))).count(SCAN_COUNT);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> step = jedis.scan(cursor, params);
            if (!step.getResult().isEmpty() && !more.test(step.getResult())) {
                return false;
            }
            cursor = step.getCursorAsBytes();
        } while (!scanDone(cursor));
        return true;
    }

    private static boolean scanDone(byte[] cursor) {
        return cursor.length == 1 && cursor[0] == '0';
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
