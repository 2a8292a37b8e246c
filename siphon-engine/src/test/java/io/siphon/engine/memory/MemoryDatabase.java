package io.siphon.engine.memory;

import io.siphon.model.ChangeEvent;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Named in-memory databases shared by tests and the memory connector in the same JVM. */
public final class MemoryDatabase {

    private static final Map<String, MemoryDatabase> DATABASES = new ConcurrentHashMap<>();

    /** A table: its schema and rows. */
    public static final class Table {
        final TableSchema schema;
        final List<Row> rows = new ArrayList<>();

        Table(TableSchema schema) {
            this.schema = schema;
        }
    }

    private final Map<TableId, Table> tables = new TreeMap<>();
    private final List<ChangeEvent> log = new ArrayList<>();
    private final Map<String, Long> slots = new java.util.HashMap<>();
    private long transactions;

    /** A new empty database under a name (replacing any earlier one). */
    public static MemoryDatabase create(String name) {
        MemoryDatabase db = new MemoryDatabase();
        DATABASES.put(name, db);
        return db;
    }

    /** The database of that name. */
    public static MemoryDatabase named(String name) {
        MemoryDatabase db = DATABASES.get(name);
        if (db == null) {
            throw new IllegalStateException("no memory database " + name);
        }
        return db;
    }

    /** Adds a table with rows. */
    public synchronized void put(TableSchema schema, List<Row> rows) {
        Table t = new Table(schema);
        t.rows.addAll(rows);
        tables.put(schema.id(), t);
    }

    /** The rows of a table, ordered as stored; empty when the table does not exist. */
    public synchronized List<Row> rows(TableId id) {
        Table t = tables.get(id);
        return t == null ? List.of() : List.copyOf(t.rows);
    }

    /** The rows of a table sorted by their first value, for comparisons. */
    public List<Row> sortedRows(TableId id) {
        List<Row> rows = new ArrayList<>(rows(id));
        rows.sort(
                (a, b) -> {
                    @SuppressWarnings("unchecked")
                    Comparable<Object> x = (Comparable<Object>) a.get(0);
                    return x.compareTo(b.get(0));
                });
        return rows;
    }

    synchronized List<TableSchema> schemas() {
        return tables.values().stream().map(t -> t.schema).toList();
    }

    synchronized Table table(TableId id) {
        return tables.get(id);
    }

    synchronized Table createIfMissing(TableSchema schema) {
        return tables.computeIfAbsent(schema.id(), id -> new Table(schema));
    }

    /** Applies rows to a table atomically: appended, or replacing rows with the same key. */
    synchronized void apply(TableSchema schema, List<Row> rows, boolean upsert) {
        Table t = tables.get(schema.id());
        if (!upsert) {
            t.rows.addAll(rows);
            return;
        }
        int[] key = schema.keyIndexes();
        Map<List<Object>, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < t.rows.size(); i++) {
            index.put(keyOf(t.rows.get(i), key), i);
        }
        for (Row r : rows) {
            Integer at = index.get(keyOf(r, key));
            if (at == null) {
                index.put(keyOf(r, key), t.rows.size());
                t.rows.add(r);
            } else {
                t.rows.set(at, r);
            }
        }
    }

    private static List<Object> keyOf(Row row, int[] key) {
        List<Object> k = new ArrayList<>(key.length);
        for (int i : key) {
            k.add(row.get(i));
        }
        return k;
    }

    /** Inserts a row at the source, logging the change. */
    public synchronized void insert(TableId id, Row row) {
        tables.get(id).rows.add(row);
        log(new ChangeEvent.Insert(id, row, meta()));
    }

    /** Replaces the row with the key of {@code after} (the first value), logging the change. */
    public synchronized void update(TableId id, Row after) {
        List<Row> rows = tables.get(id).rows;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).get(0).equals(after.get(0))) {
                Row before = rows.set(i, after);
                log(new ChangeEvent.Update(id, before, false, after, meta()));
                return;
            }
        }
        throw new IllegalArgumentException("no row with key " + after.get(0));
    }

    /** Empties a table, logging the truncate. */
    public synchronized void truncate(TableId id) {
        tables.get(id).rows.clear();
        log(new ChangeEvent.Truncate(id, meta()));
    }

    /** Deletes the row with a key (the first value), logging the change. */
    public synchronized void delete(TableId id, Object key) {
        List<Row> rows = tables.get(id).rows;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).get(0).equals(key)) {
                Row before = rows.remove(i);
                log(new ChangeEvent.Delete(id, before, false, meta()));
                return;
            }
        }
        throw new IllegalArgumentException("no row with key " + key);
    }

    /** Adds a nullable column at the end, logging the schema change; rows get null. */
    public synchronized void addColumn(TableId id, io.siphon.model.Column column) {
        Table t = tables.get(id);
        List<io.siphon.model.Column> columns = new ArrayList<>(t.schema.columns());
        columns.add(column);
        Table widened = new Table(new TableSchema(id, columns, t.schema.primaryKey()));
        for (Row r : t.rows) {
            Object[] v = java.util.Arrays.copyOf(r.values(), columns.size());
            widened.rows.add(new Row(v));
        }
        tables.put(id, widened);
        log(new ChangeEvent.AddColumn(id, column, null, meta()));
    }

    private EventMeta meta() {
        return new EventMeta(
                new MemoryOffset(log.size() + 1),
                java.time.Instant.now(),
                String.valueOf(++transactions));
    }

    private void log(ChangeEvent event) {
        log.add(event);
    }

    /** The position of the last logged change (0 when none). */
    public synchronized long logPosition() {
        return log.size();
    }

    synchronized List<ChangeEvent> changesAfter(long position, int max) {
        int from = (int) Math.min(position, log.size());
        return List.copyOf(log.subList(from, Math.min(log.size(), from + max)));
    }

    synchronized Long slot(String pipeline) {
        return slots.get(pipeline);
    }

    synchronized void setSlot(String pipeline, long acknowledged) {
        slots.put(pipeline, acknowledged);
    }

    /** Removes a pipeline's slot, as if an operator had dropped it. */
    public synchronized void dropSlot(String pipeline) {
        slots.remove(pipeline);
    }

    /** The position a pipeline's slot has acknowledged; null without a slot. */
    public synchronized Long acknowledged(String pipeline) {
        return slots.get(pipeline);
    }

    /** Applies streamed changes of one table to this (target) database. */
    synchronized void applyChanges(TableSchema schema, List<ChangeEvent> changes) {
        Table t = tables.get(schema.id());
        // Rows are matched on the target's key (all of it: a union's source column is part of it).
        int[] key = schema.keyIndexes();
        for (ChangeEvent e : changes) {
            switch (e) {
                case ChangeEvent.Insert i -> upsert(t, i.after(), key);
                case ChangeEvent.Update u -> {
                    removeKey(t, keyOf(u.before(), key), key);
                    upsert(t, u.after(), key);
                }
                case ChangeEvent.Delete d -> removeKey(t, keyOf(d.before(), key), key);
                case ChangeEvent.Truncate tr -> t.rows.clear();
                case ChangeEvent.SchemaChange sc ->
                        throw new IllegalArgumentException("schema changes are applied apart");
            }
        }
    }

    private static void upsert(Table t, Row row, int[] key) {
        removeKey(t, keyOf(row, key), key);
        t.rows.add(row);
    }

    private static void removeKey(Table t, List<Object> k, int[] key) {
        t.rows.removeIf(r -> keyOf(r, key).equals(k));
    }

    /** Adds a column to a target table (rows get null) and returns the new schema. */
    synchronized TableSchema widen(TableId id, io.siphon.model.Column column) {
        Table t = tables.get(id);
        List<io.siphon.model.Column> columns = new ArrayList<>(t.schema.columns());
        columns.add(column);
        Table widened = new Table(new TableSchema(id, columns, t.schema.primaryKey()));
        for (Row r : t.rows) {
            widened.rows.add(new Row(java.util.Arrays.copyOf(r.values(), columns.size())));
        }
        tables.put(id, widened);
        return widened.schema;
    }

    /** Tables by name, for assertions. */
    public synchronized Map<TableId, Integer> rowCounts() {
        Map<TableId, Integer> out = new TreeMap<>();
        tables.forEach((id, t) -> out.put(id, t.rows.size()));
        return out;
    }
}
