package io.siphon.connector.support.change;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The net effect of a run of data changes of one table, taken in their order: what the target must
 * hold afterwards, so that each key (or, without a key, each distinct row) is written at most once
 * and the writes can go out as a few set-based statements in any order among themselves. Pure: no
 * database.
 */
public sealed interface NetChanges permits NetChanges.Keyed, NetChanges.Keyless {

    /** Coalesces changes of a table; by primary key when it has one, else by whole row. */
    static NetChanges of(TableSchema table, List<ChangeEvent.DataChange> changes) {
        return table.hasPrimaryKey() ? Keyed.of(table, changes) : Keyless.of(table, changes);
    }

    /** Whether nothing needs writing. */
    boolean isEmpty();

    /**
     * A table with a key: per key the last change wins.
     *
     * <ul>
     *   <li>An insert or update leaves the key holding its new row; an update that changed the key
     *       also leaves the old key deleted.
     *   <li>A delete leaves the key deleted; when the key's first change in the run was an insert,
     *       the key was not there before the run and nothing is written for it at all.
     *   <li>Unchanged values ({@link Unchanged#VALUE}) are filled in from an earlier row of the
     *       same key in the run; those left are taken from the target row as it was before the run
     *       ({@link PartialUpdate}).
     * </ul>
     *
     * @param upserts whole rows to insert or overwrite by key
     * @param partialUpdates rows of which some columns keep a value from the target
     * @param deletes keys to delete, values in key order
     */
    record Keyed(List<Row> upserts, List<PartialUpdate> partialUpdates, List<Row> deletes)
            implements NetChanges {

        /** Copies the lists. */
        public Keyed {
            upserts = List.copyOf(upserts);
            partialUpdates = List.copyOf(partialUpdates);
            deletes = List.copyOf(deletes);
        }

        @Override
        public boolean isEmpty() {
            return upserts.isEmpty() && partialUpdates.isEmpty() && deletes.isEmpty();
        }

        /**
         * What a key holds after the changes so far; {@code row} null means absent. Whether the key
         * existed at the target before the call is never assumed: under replay an insert may
         * already be there, so a key that ends absent is always deleted.
         */
        private record State(Row row, Key source) {}

        static Keyed of(TableSchema table, List<ChangeEvent.DataChange> changes) {
            int[] keyIndexes = table.keyIndexes();
            Map<Key, State> states = new LinkedHashMap<>();
            for (ChangeEvent.DataChange change : changes) {
                switch (change) {
                    case ChangeEvent.Insert i -> {
                        Row after = checked(table, i.after(), "an inserted row", false);
                        Key key = Key.of(after, keyIndexes);
                        states.put(key, new State(after, null));
                    }
                    case ChangeEvent.Update u -> {
                        Row old = checked(table, u.before(), "an updated row's old values", false);
                        Row after =
                                keyFrom(
                                        table,
                                        old,
                                        checked(table, u.after(), "an updated row", true),
                                        keyIndexes);
                        Key oldKey = Key.of(old, keyIndexes);
                        Key newKey = Key.of(after, keyIndexes);
                        State oldState = states.get(oldKey);
                        Row row = after;
                        Key source = null;
                        if (hasUnchanged(after)) {
                            if (oldState != null && oldState.row != null) {
                                row = fill(after, oldState.row);
                                source = hasUnchanged(row) ? oldState.source : null;
                            } else {
                                source = oldKey;
                            }
                        }
                        if (!oldKey.equals(newKey)) {
                            states.put(oldKey, new State(null, null));
                        }
                        states.put(newKey, new State(row, source));
                    }
                    case ChangeEvent.Delete d -> {
                        Row old = checked(table, d.before(), "a deleted row", false);
                        states.put(Key.of(old, keyIndexes), new State(null, null));
                    }
                }
            }
            List<Row> upserts = new ArrayList<>();
            List<PartialUpdate> partial = new ArrayList<>();
            List<Row> deletes = new ArrayList<>();
            for (Map.Entry<Key, State> e : states.entrySet()) {
                State s = e.getValue();
                if (s.row == null) {
                    deletes.add(e.getKey().values());
                } else if (s.source == null) {
                    upserts.add(s.row);
                } else {
                    partial.add(new PartialUpdate(s.row, unchanged(s.row), s.source.values()));
                }
            }
            return new Keyed(upserts, partial, deletes);
        }

        /**
         * The new row with key values the source left unchanged taken from the old row, so that the
         * row names its key.
         */
        private static Row keyFrom(TableSchema table, Row old, Row after, int[] keyIndexes) {
            Object[] values = null;
            for (int k : keyIndexes) {
                if (after.get(k) == Unchanged.VALUE) {
                    if (old.get(k) == Unchanged.VALUE) {
                        throw new SiphonException(
                                ErrorCode.DATA_INVALID,
                                "an update of "
                                        + table.id()
                                        + " carries no value for key column "
                                        + table.columns().get(k).name()
                                        + ", neither old nor new; the source must send the key");
                    }
                    if (values == null) {
                        values = after.values().clone();
                    }
                    values[k] = old.get(k);
                }
            }
            return values == null ? after : new Row(values);
        }
    }

    /**
     * A row of which some columns keep the value a target row has.
     *
     * @param row the new row; unchanged columns hold {@link Unchanged#VALUE}
     * @param unchanged the positions of the unchanged columns
     * @param sourceKey the key of the target row (as it was before the run) that supplies them, in
     *     key order: the row's own key, or its old key when an update changed the key
     */
    record PartialUpdate(Row row, BitSet unchanged, Row sourceKey) {}

    /**
     * A table without a key: rows are counted, +1 per inserted row and -1 per deleted one (an
     * update is both), and only the net count of each distinct row is written. Identical rows
     * cannot be told apart, so this leaves exactly the rows the changes leave, in any order.
     * Unchanged values of an update are taken from its old row, which is complete for such tables.
     *
     * @param inserts rows to insert, a row repeated as often as it is to be inserted
     * @param deletes rows to delete one matching target row for, repeated likewise
     */
    record Keyless(List<Row> inserts, List<Row> deletes) implements NetChanges {

        /** Copies the lists. */
        public Keyless {
            inserts = List.copyOf(inserts);
            deletes = List.copyOf(deletes);
        }

        @Override
        public boolean isEmpty() {
            return inserts.isEmpty() && deletes.isEmpty();
        }

        static Keyless of(TableSchema table, List<ChangeEvent.DataChange> changes) {
            Map<Row, int[]> counts = new LinkedHashMap<>();
            for (ChangeEvent.DataChange change : changes) {
                switch (change) {
                    case ChangeEvent.Insert i ->
                            count(counts, checked(table, i.after(), "an inserted row", false), 1);
                    case ChangeEvent.Update u -> {
                        Row old = wholeOld(table, u.before(), u.beforeIsKeyOnly());
                        Row after = fill(checked(table, u.after(), "an updated row", true), old);
                        if (hasUnchanged(after)) {
                            throw new SiphonException(
                                    ErrorCode.DATA_INVALID,
                                    "an update of "
                                            + table.id()
                                            + " leaves values unchanged that its old row does"
                                            + " not carry either; a table without a primary key"
                                            + " needs whole old rows (REPLICA IDENTITY FULL)");
                        }
                        count(counts, old, -1);
                        count(counts, after, 1);
                    }
                    case ChangeEvent.Delete d ->
                            count(counts, wholeOld(table, d.before(), d.beforeIsKeyOnly()), -1);
                }
            }
            List<Row> inserts = new ArrayList<>();
            List<Row> deletes = new ArrayList<>();
            for (Map.Entry<Row, int[]> e : counts.entrySet()) {
                int n = e.getValue()[0];
                for (int i = 0; i < Math.abs(n); i++) {
                    (n > 0 ? inserts : deletes).add(e.getKey());
                }
            }
            return new Keyless(inserts, deletes);
        }

        private static void count(Map<Row, int[]> counts, Row row, int delta) {
            counts.computeIfAbsent(row, r -> new int[1])[0] += delta;
        }

        private static Row wholeOld(TableSchema table, Row before, boolean keyOnly) {
            if (keyOnly) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "a change of "
                                + table.id()
                                + " carries only the key of the old row, but the table has no"
                                + " primary key to find it by; set REPLICA IDENTITY FULL on the"
                                + " source table, or give both tables a primary key");
            }
            return checked(table, before, "a changed row's old values", false);
        }
    }

    /** Checks a row's width and where {@link Unchanged#VALUE} may appear. */
    private static Row checked(TableSchema table, Row row, String what, boolean unchangedAllowed) {
        if (row.size() != table.columns().size()) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    what
                            + " of "
                            + table.id()
                            + " has "
                            + row.size()
                            + " values but the table has "
                            + table.columns().size()
                            + " columns");
        }
        if (!unchangedAllowed) {
            for (int i = 0; i < row.size(); i++) {
                if (row.get(i) == Unchanged.VALUE) {
                    throw new SiphonException(
                            ErrorCode.DATA_INVALID,
                            what
                                    + " of "
                                    + table.id()
                                    + " marks column "
                                    + table.columns().get(i).name()
                                    + " unchanged, which only the new row of an update may");
                }
            }
        }
        return row;
    }

    private static boolean hasUnchanged(Row row) {
        for (Object value : row.values()) {
            if (value == Unchanged.VALUE) {
                return true;
            }
        }
        return false;
    }

    private static BitSet unchanged(Row row) {
        BitSet bits = new BitSet(row.size());
        for (int i = 0; i < row.size(); i++) {
            if (row.get(i) == Unchanged.VALUE) {
                bits.set(i);
            }
        }
        return bits;
    }

    /** The row with each unchanged value replaced by the earlier row's value at that position. */
    private static Row fill(Row row, Row earlier) {
        if (!hasUnchanged(row)) {
            return row;
        }
        Object[] values = row.values().clone();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == Unchanged.VALUE) {
                values[i] = earlier.get(i);
            }
        }
        return new Row(values);
    }

    /**
     * Key values, equal when PostgreSQL would find them equal although Java would not: numbers that
     * differ only in trailing zeros ({@code 1.0}, {@code 1.00}), {@code -0.0} and {@code 0.0},
     * instants at different offsets, byte arrays by content.
     */
    final class Key {

        private final Row values;
        private final Object[] comparable;

        private Key(Row values, Object[] comparable) {
            this.values = values;
            this.comparable = comparable;
        }

        static Key of(Row row, int[] keyIndexes) {
            Object[] values = new Object[keyIndexes.length];
            Object[] comparable = new Object[keyIndexes.length];
            for (int k = 0; k < keyIndexes.length; k++) {
                values[k] = row.get(keyIndexes[k]);
                comparable[k] = comparable(values[k]);
            }
            return new Key(new Row(values), comparable);
        }

        private static Object comparable(Object value) {
            return switch (value) {
                case BigDecimal d -> d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
                case Double d -> d == 0.0 ? 0.0 : d;
                case Float f -> f == 0.0f ? 0.0f : f;
                case OffsetDateTime t -> t.toInstant();
                case null, default -> value;
            };
        }

        /** The key values as given, in key order. */
        Row values() {
            return values;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.deepEquals(comparable, other.comparable);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(comparable);
        }
    }
}
