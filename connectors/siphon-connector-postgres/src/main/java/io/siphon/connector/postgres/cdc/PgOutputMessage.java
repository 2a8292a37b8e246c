package io.siphon.connector.postgres.cdc;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The messages of PostgreSQL's logical replication protocol as the {@code pgoutput} plugin sends
 * them in protocol version 1: a transaction's messages arrive after its commit, between a {@link
 * Begin} and a {@link Commit}; a {@link Relation} (and a {@link Type} for types outside {@code
 * pg_catalog}) comes before the first change of a table in a session and again after the table
 * changed. Decoded by {@link PgOutputDecoder}.
 */
public sealed interface PgOutputMessage {

    /**
     * A transaction starts.
     *
     * @param finalLsn the position of its commit record
     * @param commitTime when it committed
     * @param xid its transaction id
     */
    record Begin(PgLsn finalLsn, Instant commitTime, long xid) implements PgOutputMessage {}

    /**
     * A transaction ends.
     *
     * @param commitLsn the position of its commit record
     * @param endLsn the position just after the commit record: a stream resumed from here does not
     *     send the transaction again
     * @param commitTime when it committed
     */
    record Commit(PgLsn commitLsn, PgLsn endLsn, Instant commitTime) implements PgOutputMessage {}

    /**
     * The transaction came from another server through logical replication.
     *
     * @param originLsn the commit position on the origin server
     * @param name the origin's name
     */
    record Origin(PgLsn originLsn, String name) implements PgOutputMessage {}

    /**
     * The shape of a table as of the changes that follow.
     *
     * @param oid the table's oid, which the changes refer to
     * @param namespace its schema ({@code ""} for {@code pg_catalog})
     * @param name its name
     * @param replicaIdentity {@code d}efault, {@code n}othing, {@code f}ull or {@code i}ndex
     * @param columns its columns in order (dropped and generated columns left out)
     */
    record Relation(
            long oid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {
        /** Copies the columns. */
        public Relation {
            columns = List.copyOf(columns);
        }
    }

    /**
     * One column of a {@link Relation}.
     *
     * @param name the column name
     * @param key whether it is part of the replica identity (the key sent with old rows)
     * @param typeOid its type
     * @param typmod its type modifier ({@code atttypmod}), -1 for none
     */
    record Column(String name, boolean key, long typeOid, int typmod) {}

    /**
     * The name of a type outside {@code pg_catalog} that columns of a following {@link Relation}
     * use.
     *
     * @param oid the type's oid
     * @param namespace its schema
     * @param name its name
     */
    record Type(long oid, String namespace, String name) implements PgOutputMessage {}

    /**
     * A new row.
     *
     * @param relationOid the table
     * @param after the row
     */
    record Insert(long relationOid, TupleData after) implements PgOutputMessage {}

    /**
     * A changed row.
     *
     * @param relationOid the table
     * @param before the old row: key columns only ({@code keyOnly}) or complete (replica identity
     *     full); null when the server sent none because the key did not change
     * @param keyOnly whether {@code before} holds only the key columns (the others are null)
     * @param after the new row; unchanged TOAST values are {@link TupleData.Kind#UNCHANGED}
     */
    record Update(long relationOid, TupleData before, boolean keyOnly, TupleData after)
            implements PgOutputMessage {}

    /**
     * A removed row.
     *
     * @param relationOid the table
     * @param before the old row: key columns only ({@code keyOnly}) or complete
     * @param keyOnly whether {@code before} holds only the key columns
     */
    record Delete(long relationOid, TupleData before, boolean keyOnly) implements PgOutputMessage {}

    /**
     * Tables were truncated in one statement.
     *
     * @param cascade whether the statement said {@code CASCADE}
     * @param restartIdentity whether it said {@code RESTART IDENTITY}
     * @param relationOids the tables
     */
    record Truncate(boolean cascade, boolean restartIdentity, List<Long> relationOids)
            implements PgOutputMessage {
        /** Copies the oids. */
        public Truncate {
            relationOids = List.copyOf(relationOids);
        }
    }

    /**
     * A logical decoding message ({@code pg_logical_emit_message}).
     *
     * @param transactional whether it belongs to the transaction it was written in (else it was
     *     sent on its own, as soon as it was written)
     * @param lsn its position
     * @param prefix the prefix it was written with
     * @param content its bytes
     */
    record Message(boolean transactional, PgLsn lsn, String prefix, byte[] content)
            implements PgOutputMessage {

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m
                    && transactional == m.transactional
                    && lsn.equals(m.lsn)
                    && prefix.equals(m.prefix)
                    && Arrays.equals(content, m.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(transactional, lsn, prefix, Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Message[transactional="
                    + transactional
                    + ", lsn="
                    + lsn
                    + ", prefix="
                    + prefix
                    + ", "
                    + content.length
                    + " bytes]";
        }
    }

    /**
     * The column values of one row, in the order of its {@link Relation}'s columns. The arrays are
     * owned by the tuple.
     *
     * @param kinds what each value is
     * @param texts each value's text form, null unless its kind is {@link Kind#TEXT}
     */
    record TupleData(Kind[] kinds, String[] texts) {

        /** What a column value in a tuple is. */
        public enum Kind {
            /** SQL NULL ({@code n}). */
            NULL,
            /** A TOAST value the server did not send because it did not change ({@code u}). */
            UNCHANGED,
            /** A value in text form ({@code t}). */
            TEXT
        }

        /** Checks that both arrays have one entry per column. */
        public TupleData {
            if (kinds.length != texts.length) {
                throw new IllegalArgumentException("kinds and texts differ in length");
            }
        }

        /** The number of columns. */
        public int size() {
            return kinds.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TupleData t
                    && Arrays.equals(kinds, t.kinds)
                    && Arrays.equals(texts, t.texts);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(kinds) + Arrays.hashCode(texts);
        }

        @Override
        public String toString() {
            return "TupleData[" + kinds.length + " columns]";
        }
    }
}
