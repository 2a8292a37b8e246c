package io.siphon.connector.redis;

import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where and how rows are kept in Redis: the key of a row, of a table's secondary index sets, the
 * pattern that matches a table's keys, the row format and the time to live.
 *
 * <p>Keys are {@code {prefix}:{table}:{key}}. {@code {table}} is the target table's name as {@code
 * schema.table} (SQL-quoted where needed, as {@link TableId#toString()}); {@code {key}} is the
 * primary key's values in key order, each as its text form, joined by {@code :}. Each part is
 * escaped so that a key splits back into its parts: {@code \} becomes {@code \\}, {@code :} becomes
 * {@code \:}, a {@code #} at the start of a part becomes {@code \#}, and NULL (only in a keyless
 * table's rows) is {@code \N}. A part that starts with an unescaped {@code #} is therefore never a
 * key: {@code {prefix}:{table}:#index:{column}:{value}} are the table's index sets. A table without
 * a primary key has {@code {key}} = the SHA-256 (hex) of all its values so escaped and joined:
 * identical rows share one key.
 *
 * @param prefix the first part of every key
 * @param json whether rows are JSON strings (else hashes)
 * @param ttl the time to live of row keys; zero for none
 * @param indexColumns per target table (as {@link TableId#toString()}), the indexed columns
 */
record RedisLayout(
        String prefix, boolean json, Duration ttl, Map<String, List<String>> indexColumns) {

    /** The layout a connector's configuration describes. */
    static RedisLayout of(Config config) {
        Map<String, List<String>> indexes =
                config.get(RedisOptions.INDEX_COLUMNS).entrySet().stream()
                        .collect(
                                java.util.stream.Collectors.toUnmodifiableMap(
                                        e -> e.getKey(),
                                        e ->
                                                Arrays.stream(e.getValue().split(","))
                                                        .map(String::strip)
                                                        .filter(c -> !c.isEmpty())
                                                        .toList()));
        return new RedisLayout(
                config.get(RedisOptions.KEY_PREFIX),
                "json".equals(config.get(RedisOptions.FORMAT)),
                config.get(RedisOptions.TTL),
                indexes);
    }

    /** The indexed columns of a target table, checked against its schema. */
    List<String> indexes(TableSchema table) {
        List<String> columns = indexColumns.getOrDefault(table.id().toString(), List.of());
        for (String column : columns) {
            if (table.indexOf(column) < 0) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "index-columns names column "
                                + column
                                + " of "
                                + table.id()
                                + ", which has no such column; its columns are "
                                + table.columnNames());
            }
        }
        return columns;
    }

    /** {@code {prefix}:{table}:} */
    String tableStart(TableId table) {
        return prefix + ":" + part(table.toString()) + ":";
    }

    /** The glob that {@code SCAN MATCH} takes for every key of a table (rows and index sets). */
    String tablePattern(TableId table) {
        return glob(tableStart(table)) + "*";
    }

    /** The key of a row, values in the schema's column order. */
    String rowKey(TableSchema table, Object[] values) {
        StringBuilder key = new StringBuilder(tableStart(table.id()));
        if (table.hasPrimaryKey()) {
            int[] keys = table.keyIndexes();
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    key.append(':');
                }
                key.append(part(table.columns().get(keys[i]).type(), values[keys[i]]));
            }
            return key.toString();
        }
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                all.append(':');
            }
            all.append(part(table.columns().get(i).type(), values[i]));
        }
        return key.append(sha256(all.toString())).toString();
    }

    /** The index set of the rows whose {@code column} holds {@code value} (not null). */
    String indexKey(TableSchema table, String column, Object value) {
        return tableStart(table.id())
                + "#index:"
                + part(column)
                + ":"
                + part(table.column(column).type(), value);
    }

    /** Whether a key of a table (from {@link #tablePattern}) is a row's, not an index set's. */
    boolean isRowKey(TableId table, String key) {
        int start = tableStart(table).length();
        return key.length() == start || key.charAt(start) != '#';
    }

    private static String part(DataType type, Object value) {
        return value == null ? "\\N" : part(RedisValues.text(type, value));
    }

    /** Escapes one part of a key. */
    static String part(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == ':' || (c == '#' && i == 0)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Escapes the characters that a {@code SCAN MATCH} glob treats specially. */
    static String glob(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '*' || c == '?' || c == '[' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
