package io.siphon.connector.postgres.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A growable byte buffer for {@code COPY ... FROM STDIN (FORMAT binary)}: big-endian numbers, the
 * stream's header, tuple and field framing. One per writer, reused for every chunk sent, so that
 * encoding a row allocates nothing of its own.
 */
public final class CopyBinaryBuffer {

    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The signature, flags (no OIDs) and header extension length (none) of a binary COPY. */
    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };

    private byte[] buf;
    private int size;

    /** A buffer with room for {@code capacity} bytes before it first grows. */
    public CopyBinaryBuffer(int capacity) {
        this.buf = new byte[Math.max(64, capacity)];
    }

    /** The bytes written so far are {@code [0, size())} of this array (valid until a write). */
    public byte[] array() {
        return buf;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** The start of a binary COPY stream. */
    public void header() {
        putBytes(HEADER, 0, HEADER.length);
    }

    /** The end of a binary COPY stream: a tuple with -1 fields. */
    public void trailer() {
        putShort(-1);
    }

    /** Starts a tuple of {@code fields} fields. */
    public void tuple(int fields) {
        putShort(fields);
    }

    /** A NULL field. */
    public void nullField() {
        putInt(-1);
    }

    /**
     * Reserves a field's 4-byte length before its value is written; {@link #endField} fills it in.
     *
     * @return the position to pass to {@link #endField}
     */
    public int startField() {
        ensure(4);
        int at = size;
        size += 4;
        return at;
    }

    /** Sets the length of the field started at {@code lengthAt} to what was written since. */
    public void endField(int lengthAt) {
        INT.set(buf, lengthAt, size - lengthAt - 4);
    }

    public void putByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    public void putShort(int v) {
        ensure(2);
        SHORT.set(buf, size, (short) v);
        size += 2;
    }

    public void putInt(int v) {
        ensure(4);
        INT.set(buf, size, v);
        size += 4;
    }

    /** Overwrites 4 bytes written earlier, at {@code at}. */
    public void setInt(int at, int v) {
        INT.set(buf, at, v);
    }

    public void putLong(long v) {
        ensure(8);
        LONG.set(buf, size, v);
        size += 8;
    }

    public void putBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
    }

    /** Makes room for {@code n} more bytes. */
    public void ensure(int n) {
        if (size + n > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + n);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a COPY buffer cannot hold more than 2 GB");
            }
            byte[] grown = new byte[(int) wanted];
            System.arraycopy(buf, 0, grown, 0, size);
            buf = grown;
        }
    }
}
