package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.cdc.PgOutputMessage.Begin;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Column;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Commit;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Delete;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Insert;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Message;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Origin;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Relation;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Truncate;
import io.siphon.connector.postgres.cdc.PgOutputMessage.TupleData;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Type;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Update;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one {@code pgoutput} message (protocol version 1) from the payload of a replication
 * stream's XLogData message. Stateless: each message stands alone. Strings and text values are
 * UTF-8, because the server converts them to the connection's client encoding, which pgjdbc sets to
 * UTF-8.
 *
 * <p>Layouts are those of PostgreSQL's "Logical Replication Message Formats"; integers are big
 * endian, strings end with a zero byte, timestamps are microseconds since 2000-01-01 UTC.
 */
public final class PgOutputDecoder {

    /** Seconds from 1970-01-01 to PostgreSQL's epoch 2000-01-01. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private static final int TRUNCATE_CASCADE = 1;
    private static final int TRUNCATE_RESTART_IDENTITY = 2;
    private static final int MESSAGE_TRANSACTIONAL = 1;

    private PgOutputDecoder() {}

    /**
     * Decodes the message in the buffer's remaining bytes.
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} for an unknown message type, a
     *     truncated message, or binary tuple values (which this connector never asks for)
     */
    public static PgOutputMessage decode(ByteBuffer buffer) {
        byte tag = buffer.get();
        try {
            PgOutputMessage message =
                    switch (tag) {
                        case 'B' -> new Begin(lsn(buffer), timestamp(buffer), xid(buffer));
                        case 'C' -> commit(buffer);
                        case 'O' -> new Origin(lsn(buffer), string(buffer));
                        case 'R' -> relation(buffer);
                        case 'Y' -> new Type(oid(buffer), string(buffer), string(buffer));
                        case 'I' -> insert(buffer);
                        case 'U' -> update(buffer);
                        case 'D' -> delete(buffer);
                        case 'T' -> truncate(buffer);
                        case 'M' -> message(buffer);
                        default ->
                                throw invalid(
                                        "unknown message type '"
                                                + (char) tag
                                                + "' (the plugin must run protocol version 1)");
                    };
            if (buffer.hasRemaining()) {
                throw invalid(
                        buffer.remaining() + " bytes left after '" + (char) tag + "' message");
            }
            return message;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw invalid("'" + (char) tag + "' message ends early");
        }
    }

    private static Commit commit(ByteBuffer b) {
        b.get(); // flags: unused in protocol version 1
        return new Commit(lsn(b), lsn(b), timestamp(b));
    }

    private static Relation relation(ByteBuffer b) {
        long oid = oid(b);
        String namespace = string(b);
        String name = string(b);
        char replicaIdentity = (char) b.get();
        int count = b.getShort();
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (b.get() & 1) != 0;
            columns.add(new Column(string(b), key, oid(b), b.getInt()));
        }
        return new Relation(oid, namespace, name, replicaIdentity, columns);
    }

    private static Insert insert(ByteBuffer b) {
        long oid = oid(b);
        expect(b, 'N', "insert");
        return new Insert(oid, tuple(b));
    }

    private static Update update(ByteBuffer b) {
        long oid = oid(b);
        byte kind = b.get();
        TupleData before = null;
        boolean keyOnly = false;
        if (kind == 'K' || kind == 'O') {
            keyOnly = kind == 'K';
            before = tuple(b);
            kind = b.get();
        }
        if (kind != 'N') {
            throw invalid("update without its new row ('N'), found '" + (char) kind + "'");
        }
        return new Update(oid, before, keyOnly, tuple(b));
    }

    private static Delete delete(ByteBuffer b) {
        long oid = oid(b);
        byte kind = b.get();
        if (kind != 'K' && kind != 'O') {
            throw invalid("delete without its old row ('K' or 'O'), found '" + (char) kind + "'");
        }
        return new Delete(oid, tuple(b), kind == 'K');
    }

    private static Truncate truncate(ByteBuffer b) {
        int count = b.getInt();
        int options = b.get();
        List<Long> oids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            oids.add(oid(b));
        }
        return new Truncate(
                (options & TRUNCATE_CASCADE) != 0,
                (options & TRUNCATE_RESTART_IDENTITY) != 0,
                oids);
    }

    private static Message message(ByteBuffer b) {
        boolean transactional = (b.get() & MESSAGE_TRANSACTIONAL) != 0;
        PgLsn lsn = lsn(b);
        String prefix = string(b);
        byte[] content = new byte[b.getInt()];
        b.get(content);
        return new Message(transactional, lsn, prefix, content);
    }

    private static TupleData tuple(ByteBuffer b) {
        int count = b.getShort();
        TupleData.Kind[] kinds = new TupleData.Kind[count];
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            switch (kind) {
                case 'n' -> kinds[i] = TupleData.Kind.NULL;
                case 'u' -> kinds[i] = TupleData.Kind.UNCHANGED;
                case 't' -> {
                    kinds[i] = TupleData.Kind.TEXT;
                    texts[i] = utf8(b, b.getInt());
                }
                default ->
                        throw invalid(
                                "tuple value of kind '"
                                        + (char) kind
                                        + "' (only text values are asked for)");
            }
        }
        return new TupleData(kinds, texts);
    }

    private static void expect(ByteBuffer b, char expected, String what) {
        byte found = b.get();
        if (found != expected) {
            throw invalid(what + " expected '" + expected + "' but found '" + (char) found + "'");
        }
    }

    private static PgLsn lsn(ByteBuffer b) {
        return new PgLsn(b.getLong());
    }

    private static long oid(ByteBuffer b) {
        return Integer.toUnsignedLong(b.getInt());
    }

    private static long xid(ByteBuffer b) {
        return Integer.toUnsignedLong(b.getInt());
    }

    private static Instant timestamp(ByteBuffer b) {
        long micros = b.getLong();
        return Instant.ofEpochSecond(
                PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** A zero-terminated string. */
    private static String string(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        String s = utf8(b, end - start);
        b.get(); // the terminating zero
        return s;
    }

    private static String utf8(ByteBuffer b, int length) {
        if (length < 0 || length > b.remaining()) {
            throw new BufferUnderflowException();
        }
        String s;
        if (b.hasArray()) {
            s =
                    new String(
                            b.array(),
                            b.arrayOffset() + b.position(),
                            length,
                            StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            b.duplicate().get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        b.position(b.position() + length);
        return s;
    }

    private static SiphonException invalid(String what) {
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "Cannot decode a pgoutput message: "
                        + what
                        + ". The server sent something this connector does not understand;"
                        + " please report it with the PostgreSQL version");
    }
}
