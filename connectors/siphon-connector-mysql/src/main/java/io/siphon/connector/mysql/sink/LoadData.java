package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's {@code LOAD DATA LOCAL INFILE} statement and the rows of one batch as the stream it
 * reads, in the statement's default text format: fields ended by a tab, lines by a newline, {@code
 * \N} for NULL, and backslash, tab, newline, carriage return and NUL escaped with a backslash. The
 * text is utf8mb4; bytes go as hex into a variable the statement decodes with {@code UNHEX}, a
 * native {@code BIT} as its binary digits decoded with {@code CONV}, so no column is read as raw
 * bytes in the wrong character set. Each value's text is {@link ValueBinder#text}, the same text
 * the inserts send.
 */
final class LoadData {

    /** About how many bytes the stream encodes at a time. */
    private static final int CHUNK_CHARS = 64 * 1024;

    private final TableSchema table;
    private final String sql;

    /** The statement for a table, every column in the schema's order. */
    LoadData(TableSchema table) {
        this.table = table;
        List<String> targets = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        List<Column> cols = table.columns();
        for (int i = 0; i < cols.size(); i++) {
            Column c = cols.get(i);
            String name = SqlText.quote(c.name());
            String variable = "@c" + i;
            switch (c.type()) {
                case DataType.BinaryType b -> {
                    targets.add(variable);
                    sets.add(name + " = UNHEX(" + variable + ")");
                }
                case DataType.BitType b when MySqlTypeMapper.nativeBit(b) -> {
                    targets.add(variable);
                    sets.add(name + " = CAST(CONV(" + variable + ", 2, 10) AS UNSIGNED)");
                }
                default -> targets.add(name);
            }
        }
        this.sql =
                "LOAD DATA LOCAL INFILE 'siphon-rows' INTO TABLE "
                        + SqlText.quote(table.id())
                        + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
                        + " LINES TERMINATED BY '\\n' ("
                        + String.join(", ", targets)
                        + ")"
                        + (sets.isEmpty() ? "" : " SET " + String.join(", ", sets));
    }

    /** The table this statement loads. */
    TableSchema table() {
        return table;
    }

    /** The statement. */
    String sql() {
        return sql;
    }

    /** The rows as the statement reads them, encoded as the driver reads the stream. */
    RowStream stream(List<Row> rows, ValueBinder binder) {
        return new RowStream(rows, binder);
    }

    /**
     * Rows encoded a chunk at a time as they are read. A row whose value cannot be written (a value
     * MySQL would change, a row of the wrong width) ends the stream before that row, so the
     * statement ends normally; {@link #failure()} then holds why, and the caller rolls back.
     */
    final class RowStream extends InputStream {

        private final List<Row> rows;
        private final ValueBinder binder;
        private final StringBuilder text = new StringBuilder(CHUNK_CHARS + 4096);
        private int next;
        private byte[] chunk = new byte[0];
        private int at;
        private SiphonException failure;

        private RowStream(List<Row> rows, ValueBinder binder) {
            this.rows = rows;
            this.binder = binder;
        }

        /** Why the stream ended before its last row, or null. */
        SiphonException failure() {
            return failure;
        }

        @Override
        public int read() {
            if (!ready()) {
                return -1;
            }
            return chunk[at++] & 0xff;
        }

        @Override
        public int read(byte[] into, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!ready()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, into, off, n);
            at += n;
            return n;
        }

        /** True when bytes are left to read, encoding the next rows when the chunk is used up. */
        private boolean ready() {
            if (at < chunk.length) {
                return true;
            }
            text.setLength(0);
            while (next < rows.size() && text.length() < CHUNK_CHARS) {
                int mark = text.length();
                try {
                    append(rows.get(next));
                    next++;
                } catch (SiphonException e) {
                    text.setLength(mark);
                    failure = e;
                    next = rows.size();
                }
            }
            chunk = text.toString().getBytes(StandardCharsets.UTF_8);
            at = 0;
            return chunk.length > 0;
        }

        private void append(Row row) {
            List<Column> cols = table.columns();
            MySqlSinkWriter.checkWidth(table, row);
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) {
                    text.append('\t');
                }
                Object value = row.get(i);
                if (value == null) {
                    text.append("\\N");
                } else if (value instanceof byte[]
                        && !(cols.get(i).type() instanceof DataType.BinaryType)) {
                    throw new SiphonException(
                            ErrorCode.DATA_INVALID,
                            "column "
                                    + cols.get(i).name()
                                    + " of "
                                    + table.id()
                                    + " got bytes, but its type is "
                                    + cols.get(i).type()
                                    + "; set 'bulk-load: insert' on the sink to write it");
                } else {
                    escape(binder.text(table, cols.get(i), value));
                }
            }
            text.append('\n');
        }

        /** Appends a value with its special characters escaped, plain runs in one piece. */
        private void escape(String value) {
            int from = 0;
            for (int i = 0; i < value.length(); i++) {
                String escaped =
                        switch (value.charAt(i)) {
                            case '\\' -> "\\\\";
                            case '\t' -> "\\t";
                            case '\n' -> "\\n";
                            case '\r' -> "\\r";
                            case '\0' -> "\\0";
                            default -> null;
                        };
                if (escaped != null) {
                    text.append(value, from, i).append(escaped);
                    from = i + 1;
                }
            }
            text.append(value, from, value.length());
        }
    }
}
