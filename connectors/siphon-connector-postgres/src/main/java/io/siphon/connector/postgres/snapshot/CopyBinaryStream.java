package io.siphon.connector.postgres.snapshot;

import io.siphon.connector.postgres.types.ValueDecoder;
import io.siphon.model.Row;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.copy.CopyOut;

/**
 * Reads the tuples of a {@code COPY ... TO STDOUT (FORMAT binary)} as rows, pulling the server's
 * messages one at a time ({@link CopyOut#readFromCopy()}) and decoding each field in place in the
 * message buffer. PostgreSQL sends one message per tuple, but nothing here relies on it: a field
 * that spans messages is joined first.
 */
final class CopyBinaryStream {

    private static final byte[] SIGNATURE = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
    };
    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final CopyOut copy;
    private final ValueDecoder[] decoders;
    private final String[] columnNames;
    private byte[] buf = new byte[0];
    private int pos;
    private boolean headerRead;
    private boolean ended;

    CopyBinaryStream(CopyOut copy, ValueDecoder[] decoders, String[] columnNames) {
        this.copy = copy;
        this.decoders = decoders;
        this.columnNames = columnNames;
    }

    /** The next row, or null after the last one (the COPY is then complete). */
    Row next() throws SQLException {
        if (ended) {
            return null;
        }
        if (!headerRead) {
            readHeader();
        }
        if (!ensure(2)) {
            throw truncated();
        }
        int fields = (short) SHORT.get(buf, pos);
        pos += 2;
        if (fields == -1) {
            // The trailer; one more read completes the COPY on the connection.
            while (copy.readFromCopy() != null) {
                // Nothing follows the trailer; drain whatever the driver still holds.
            }
            ended = true;
            return null;
        }
        if (fields != decoders.length) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "COPY sent " + fields + " fields where " + decoders.length + " were selected");
        }
        Object[] values = new Object[fields];
        for (int i = 0; i < fields; i++) {
            if (!ensure(4)) {
                throw truncated();
            }
            int len = (int) INT.get(buf, pos);
            pos += 4;
            if (len < 0) {
                continue;
            }
            if (!ensure(len)) {
                throw truncated();
            }
            try {
                values[i] = decoders[i].decode(buf, pos, len);
            } catch (RuntimeException e) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "could not decode a value of column "
                                + columnNames[i]
                                + " ("
                                + len
                                + " bytes): "
                                + e,
                        e);
            }
            pos += len;
        }
        return new Row(values);
    }

    private void readHeader() throws SQLException {
        if (!ensure(SIGNATURE.length + 8)
                || !Arrays.equals(
                        buf, pos, pos + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "COPY did not start with the binary signature");
        }
        pos += SIGNATURE.length + 4;
        int extension = (int) INT.get(buf, pos);
        pos += 4;
        if (!ensure(extension)) {
            throw truncated();
        }
        pos += extension;
        headerRead = true;
    }

    /** Makes at least {@code n} unread bytes available; false when the COPY ended first. */
    private boolean ensure(int n) throws SQLException {
        while (buf.length - pos < n) {
            byte[] more = copy.readFromCopy();
            if (more == null) {
                return false;
            }
            if (pos == buf.length) {
                buf = more;
            } else {
                byte[] joined = new byte[buf.length - pos + more.length];
                System.arraycopy(buf, pos, joined, 0, buf.length - pos);
                System.arraycopy(more, 0, joined, buf.length - pos, more.length);
                buf = joined;
            }
            pos = 0;
        }
        return true;
    }

    private static SiphonException truncated() {
        return new SiphonException(
                ErrorCode.CONNECTION_LOST, "COPY data ended in the middle of a row");
    }
}
