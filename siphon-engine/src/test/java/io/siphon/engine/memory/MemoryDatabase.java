package io.siphon.engine.memory;

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

    /** Tables by name, for assertions. */
    public synchronized Map<TableId, Integer> rowCounts() {
        Map<TableId, Integer> out = new TreeMap<>();
        tables.forEach((id, t) -> out.put(id, t.rows.size()));
        return out;
    }
}
