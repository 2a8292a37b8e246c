package io.siphon.connector.opensearch;

import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Rows as documents and keys as document ids. Pure.
 *
 * <p>An id is the key's value as the document holds it ({@link FieldEncoding#text}); a key of
 * several columns joins them with {@code ,}, each part with {@code \} and {@code ,} escaped by a
 * {@code \} and a NULL part written {@code \N}, so that no two keys share an id. An id longer than
 * OpenSearch's 512 bytes is {@code sha256:} and the SHA-256 of that text. A table without a key has
 * the SHA-256 of the whole document as id: identical rows are one document there.
 */
final class Documents {

    private static final int MAX_ID_BYTES = 512;

    private Documents() {}

    /** The document of a row, every column a field; {@link Unchanged} values are left out. */
    static byte[] document(TableSchema table, Row row, FieldEncoding.Layout layout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = OpenSearchHttp.JSON.createGenerator(out)) {
            g.writeStartObject();
            List<Column> columns = table.columns();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                if (v == Unchanged.VALUE) {
                    continue;
                }
                g.writeName(columns.get(i).name());
                FieldEncoding.write(g, columns.get(i).type(), v, layout);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /**
     * The id of a keyed table's document.
     *
     * @param values the key's values, in key order
     */
    static String keyId(TableSchema table, Row values) {
        List<String> key = table.primaryKey();
        if (key.size() == 1) {
            return bounded(FieldEncoding.text(table.column(key.get(0)).type(), values.get(0)));
        }
        StringBuilder id = new StringBuilder();
        for (int k = 0; k < key.size(); k++) {
            if (k > 0) {
                id.append(',');
            }
            Object v = values.get(k);
            if (v == null) {
                id.append("\\N");
            } else {
                String text = FieldEncoding.text(table.column(key.get(k)).type(), v);
                id.append(text.replace("\\", "\\\\").replace(",", "\\,"));
            }
        }
        return bounded(id.toString());
    }

    /** The key's values of a whole row, in key order. */
    static Row keyOf(TableSchema table, Row row) {
        int[] indexes = table.keyIndexes();
        Object[] values = new Object[indexes.length];
        for (int k = 0; k < indexes.length; k++) {
            values[k] = row.get(indexes[k]);
        }
        return new Row(values);
    }

    /** The key for messages: {@code id=5} or {@code a=1, b=x}. */
    static String describeKey(TableSchema table, Row values) {
        StringBuilder s = new StringBuilder();
        List<String> key = table.primaryKey();
        for (int k = 0; k < key.size(); k++) {
            if (k > 0) {
                s.append(", ");
            }
            s.append(key.get(k)).append('=').append(values.get(k));
        }
        return s.toString();
    }

    /** The id of a keyless table's document: the SHA-256 of its JSON. */
    static String wholeRowId(byte[] document) {
        return HexFormat.of().formatHex(sha256(document));
    }

    private static String bounded(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_ID_BYTES
                ? id
                : "sha256:" + HexFormat.of().formatHex(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
