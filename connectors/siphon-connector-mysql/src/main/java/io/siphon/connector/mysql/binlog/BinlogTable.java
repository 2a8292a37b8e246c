package io.siphon.connector.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * A table as one {@code TABLE_MAP} event describes it, matched by column name ({@code
 * binlog_row_metadata=FULL}) with the table's schema at that point of the stream, so that each
 * row's cells land in the schema's columns decoded by {@link BinlogValues}.
 *
 * @param schema the table's schema as of the event
 * @param columns per binlog column, how to decode it and where it goes
 */
record BinlogTable(TableSchema schema, BinlogColumn[] columns) {

    /**
     * One column of a table map.
     *
     * @param name the column name
     * @param target the position of the column in the schema; -1 for a column it no longer has
     * @param type the real column type (an {@code ENUM}'s or {@code SET}'s, not {@code STRING})
     * @param meta the type's metadata from the table map
     * @param unsigned whether a numeric column is {@code UNSIGNED}
     * @param charset the text column's charset; null for binary strings and non-text columns
     * @param labels an {@code ENUM}'s or {@code SET}'s labels in declared order, else null
     */
    record BinlogColumn(
            String name,
            int target,
            ColumnType type,
            int meta,
            boolean unsigned,
            Charset charset,
            List<String> labels) {}

    /** The table's id as the binlog names it: its database is the schema. */
    static TableId idOf(TableMapEventData map) {
        return TableId.of(map.getDatabase(), map.getTable());
    }

    /**
     * Matches a table map with the table's schema.
     *
     * @param lenient whether a column the schema lacks is skipped (a row older than the schema,
     *     which is the catalog's of later) rather than an error
     * @throws SiphonException {@link ErrorCode#SERVER_SETTING} when the map has no column names
     *     ({@code binlog_row_metadata} is not {@code FULL}); {@link ErrorCode#SCHEMA_MISMATCH} when
     *     a binlog column is not in the schema (the stream missed a schema change)
     */
    static BinlogTable of(
            TableMapEventData map, TableSchema schema, BinlogCharsets charsets, boolean lenient) {
        TableMapEventMetadata metadata = map.getEventMetadata();
        if (metadata == null || metadata.getColumnNames() == null) {
            throw new SiphonException(
                    ErrorCode.SERVER_SETTING,
                    "The binary log has no column names for "
                            + schema.id()
                            + ": the server writes them only with binlog_row_metadata=FULL (MySQL"
                            + " 8.0.1+, MariaDB 10.5+). Run: SET GLOBAL binlog_row_metadata ="
                            + " 'FULL'; and set it in the server's configuration file");
        }
        byte[] types = map.getColumnTypes();
        int[] metas = map.getColumnMetadata();
        List<String> names = metadata.getColumnNames();
        BitSet unsigned =
                metadata.getSignedness() == null ? new BitSet() : metadata.getSignedness();
        BinlogColumn[] columns = new BinlogColumn[types.length];
        int textIndex = 0;
        int enumIndex = 0;
        int setIndex = 0;
        for (int i = 0; i < types.length; i++) {
            int code = types[i] & 0xFF;
            int meta = metas[i];
            if (code == ColumnType.STRING.getCode() && meta >= 256) {
                int real = meta >> 8;
                if (real == ColumnType.ENUM.getCode() || real == ColumnType.SET.getCode()) {
                    code = real;
                    meta = meta & 0xFF;
                }
            }
            ColumnType type = ColumnType.byCode(code);
            String name = names.get(i);
            int target = schema.indexOf(name);
            if (target < 0 && !lenient) {
                throw new SiphonException(
                        ErrorCode.SCHEMA_MISMATCH,
                        "The binary log has column "
                                + name
                                + " in table "
                                + schema.id()
                                + ", which the stream's schema of the table does not have ("
                                + schema.columnNames()
                                + "): a schema change was missed. Copy the table again");
            }
            Charset charset = null;
            List<String> labels = null;
            switch (type) {
                case STRING, VARCHAR, VAR_STRING, BLOB, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB -> {
                    charset = charsets.charset(collation(metadata, textIndex++), name);
                }
                case ENUM -> labels = List.of(metadata.getEnumStrValues().get(enumIndex++));
                case SET -> labels = List.of(metadata.getSetStrValues().get(setIndex++));
                default -> {}
            }
            columns[i] =
                    new BinlogColumn(name, target, type, meta, unsigned.get(i), charset, labels);
        }
        return new BinlogTable(schema, columns);
    }

    /** The collation of the {@code n}th text column, from either form of the charset field. */
    private static int collation(TableMapEventMetadata metadata, int n) {
        if (metadata.getColumnCharsets() != null) {
            return metadata.getColumnCharsets().get(n);
        }
        TableMapEventMetadata.DefaultCharset d = metadata.getDefaultCharset();
        if (d == null) {
            return BinlogCharsets.BINARY;
        }
        Map<Integer, Integer> exceptions = d.getCharsetCollations();
        Integer own = exceptions == null ? null : exceptions.get(n);
        return own != null ? own : d.getDefaultCharsetCollation();
    }

    /**
     * A row of the table from a binlog row image: the cells of {@code included} columns, in binlog
     * column order. Columns that the image leaves out are null.
     */
    Row row(Serializable[] cells, BitSet included, boolean zeroDatesAsNull) {
        Object[] values = new Object[schema.columns().size()];
        int cell = 0;
        String zero = null;
        for (int i = 0; i < columns.length; i++) {
            if (!included.get(i)) {
                continue;
            }
            BinlogColumn c = columns[i];
            if (c.target() < 0) {
                cell++;
                continue;
            }
            Object value =
                    BinlogValues.decode(
                            schema.id(), schema.columns().get(c.target()), c, cells[cell++]);
            if (value instanceof BinlogTemporal.ZeroDate z) {
                value = null;
                if (!zeroDatesAsNull && zero == null) {
                    zero = c.name() + " = '" + z.text() + "'";
                }
            }
            values[c.target()] = value;
        }
        if (zero != null) {
            throw zeroDate(values, zero);
        }
        return new Row(values);
    }

    private SiphonException zeroDate(Object[] values, String what) {
        StringBuilder key = new StringBuilder();
        for (int k : schema.keyIndexes()) {
            key.append(key.isEmpty() ? "" : ", ")
                    .append(schema.columns().get(k).name())
                    .append(" = ")
                    .append(values[k]);
        }
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "Table "
                        + schema.id()
                        + " has a zero date, "
                        + what
                        + (key.isEmpty() ? "" : ", in the row with " + key)
                        + ", which no other system can hold. Fix the row, or set the source's"
                        + " 'zero-dates: null' to carry zero dates as NULL");
    }
}
