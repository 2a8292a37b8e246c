package io.siphon.connector.redis;

import io.siphon.model.DataType;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;

/**
 * A table's rows as the bytes of their keys ({@link RedisLayout#rowKey}) and hash fields ({@link
 * RedisValues#field}), byte for byte the same, written straight into buffers that are reused row
 * after row: the key's table part and the field names are encoded once per table, and a value's
 * bytes go into the array its column held in the row before when they have the same length (dates,
 * timestamps, UUIDs, most numbers). Jedis copies every {@code byte[]} argument it is given; the
 * arguments here are {@link Rawable}s, which it sends as they are, while the command is sent: so
 * each array is free again once {@code Pipeline.sendCommand} returns.
 *
 * <p>One per writer, encoding for one table at a time ({@link #encodeFor}).
 */
final class RowEncoder {

    private static final byte[] NULL_PART = {'\\', 'N'};

    /** An argument whose bytes are replaced row after row. */
    private static final class Slot implements Rawable {
        private byte[] raw;

        @Override
        public byte[] getRaw() {
            return raw;
        }
    }

    /**
     * An {@code HSET}'s arguments in one array reused row after row: Jedis' own list of arguments
     * grows three times over a row of ten columns, a seventh of the writers' time in a profile.
     * Jedis sends a command by its {@link #size()} and {@link #iterator()} (Protocol.sendCommand),
     * which are all this overrides; the key is not registered with the base class, which only a
     * cluster client reads.
     */
    private static final class HashArguments extends CommandArguments {
        private Rawable[] arguments = new Rawable[0];
        private int count;

        HashArguments() {
            super(Protocol.Command.HSET);
        }

        void clear(Rawable key, int columns) {
            if (arguments.length < 2 + 2 * columns) {
                arguments = new Rawable[2 + 2 * columns];
            }
            arguments[0] = Protocol.Command.HSET;
            arguments[1] = key;
            count = 2;
        }

        void field(Rawable name, Rawable value) {
            arguments[count++] = name;
            arguments[count++] = value;
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public Iterator<Rawable> iterator() {
            return Arrays.asList(arguments).subList(0, count).iterator();
        }
    }

    private final RedisLayout layout;
    private final TextBytes key = new TextBytes();
    private final TextBytes part = new TextBytes();
    private final TextBytes allParts = new TextBytes();
    private final TextBytes field = new TextBytes();
    private final Slot keySlot = new Slot();
    private final HashArguments hset = new HashArguments();
    private final MessageDigest sha256;

    private TableSchema table;
    private byte[] tableStart;
    private byte[][] fieldNames;
    private Rawable[] names;
    private Slot[] values;
    private DataType[] types;

    RowEncoder(RedisLayout layout) {
        this.layout = layout;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Makes the encoder ready for a table's rows; nothing to do when it is the last table. */
    void encodeFor(TableSchema schema) {
        if (schema == table) {
            return;
        }
        int n = schema.columns().size();
        tableStart = RedisRows.utf8(layout.tableStart(schema.id()));
        fieldNames = RedisRows.fieldNames(schema);
        names = new Rawable[n];
        values = new Slot[n];
        types = new DataType[n];
        for (int i = 0; i < n; i++) {
            Slot name = new Slot();
            name.raw = fieldNames[i];
            names[i] = name;
            values[i] = new Slot();
            types[i] = schema.columns().get(i).type();
        }
        table = schema;
    }

    /** A row's key, in a new array. */
    byte[] key(Object[] row) {
        return encodeKey(row).toArray();
    }

    /** A row's key, in an array valid until the next call. */
    byte[] reusedKey(Object[] row) {
        keySlot.raw = encodeKey(row).copy(keySlot.raw);
        return keySlot.raw;
    }

    private TextBytes encodeKey(Object[] row) {
        key.clear().append(tableStart);
        if (table.hasPrimaryKey()) {
            int[] keys = table.keyIndexes();
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    key.put(':');
                }
                appendPart(key, keys[i], row[keys[i]]);
            }
            return key;
        }
        allParts.clear();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                allParts.put(':');
            }
            appendPart(allParts, i, row[i]);
        }
        sha256.update(allParts.buffer(), 0, allParts.length());
        return key.hex(sha256.digest());
    }

    /**
     * Appends one value's part of a key, escaped as {@link RedisLayout#part(String)} escapes its
     * text: the characters it escapes are ASCII, and no byte of a longer UTF-8 sequence is ASCII.
     */
    private void appendPart(TextBytes to, int column, Object value) {
        if (value == null) {
            to.append(NULL_PART);
            return;
        }
        part.clear().text(types[column], value);
        byte[] b = part.buffer();
        int from = 0;
        for (int i = 0; i < part.length(); i++) {
            byte c = b[i];
            if (c == '\\' || c == ':' || (c == '#' && i == 0)) {
                to.append(b, from, i - from).put('\\');
                from = i;
            }
        }
        to.append(b, from, part.length() - from);
    }

    /**
     * The {@code HSET} of a row's values that are not null ({@link Unchanged} ones skipped), or
     * null when there is none; its arguments are valid until the next call.
     *
     * @param key the row's key; Jedis sends it as it is
     */
    CommandArguments hset(byte[] key, Object[] row) {
        keySlot.raw = key;
        hset.clear(keySlot, row.length);
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v != null && v != Unchanged.VALUE) {
                hset.field(names[i], fieldArgument(i, v));
            }
        }
        return hset.size() > 2 ? hset : null;
    }

    /** The hash fields to remove for a row: its null columns. */
    byte[][] nullFields(Object[] row) {
        return RedisRows.nullFields(fieldNames, row);
    }

    /** A hash field's bytes: a binary value itself, a text as UTF-8, others their text form. */
    private Rawable fieldArgument(int column, Object value) {
        Slot slot = values[column];
        if (types[column] instanceof DataType.BinaryType) {
            slot.raw = (byte[]) value;
        } else if (value instanceof String text) {
            // The JDK's own encoder is the fast path for text: no copy through the buffer.
            slot.raw = text.getBytes(StandardCharsets.UTF_8);
        } else {
            slot.raw = field.clear().text(types[column], value).copy(slot.raw);
        }
        return slot;
    }
}
