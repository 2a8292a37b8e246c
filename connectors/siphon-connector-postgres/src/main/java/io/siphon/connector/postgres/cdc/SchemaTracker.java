package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.catalog.CatalogTable;
import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.connector.postgres.catalog.TypeCatalog;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Relation;
import io.siphon.connector.postgres.cdc.PgOutputMessage.TupleData;
import io.siphon.connector.postgres.types.PgTextDecoders;
import io.siphon.connector.postgres.types.TextDecoder;
import io.siphon.connector.support.schema.SchemaDiff;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.AlterColumnType;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.RenameColumn;
import io.siphon.model.ChangeEvent.SchemaChange;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the schema of every streamed table as the stream goes, turns differences between it and the
 * server's relation messages into schema change events, and maps each change's tuple onto it.
 *
 * <p>Rows always come in the <em>known</em> schema: the tables the stream was opened with, changed
 * by every schema change this tracker emitted (the same evolution the engine applies to its copy).
 *
 * <p>A table given with its schema as of the stream's start position (from the schema history the
 * engine stores with the position, see {@link #safeSchemas}) is followed exactly: every relation
 * message after the start describes the table as of its transaction, in commit order, so each
 * difference to the known schema is a schema change made then (while the pipeline was stopped, or
 * while it streamed), emitted before that transaction's first row of the table.
 *
 * <p>Any other table (new to the pipeline, or a position stored without history) is given as the
 * catalog had it when the run started. A relation message describes a table as of the transaction
 * that follows, which may be older than the known schema: a stream resumed from a stored position
 * replays transactions from before a column was added, dropped or changed, and the known schema
 * (read when the run started) already has that change. Emitting those old shapes as schema changes
 * would drop columns at the target. So the tracker tells old from new by position: a transaction
 * that committed before the stream was opened ({@code openLsn}) is old, and its rows are mapped
 * onto the known schema by column name (a column renamed since is recognised only when certain, see
 * {@code renamedColumn}); a column it lacks has its {@linkplain Column#missingValue() missing
 * value} (usually null) in an insert or an old row, and is unchanged in a new row. A transaction
 * that committed later is new: before its first row of a table whose shape differs, the differences
 * are emitted as schema changes. To make "the known schema is the schema at {@code openLsn}" true,
 * the stream first emits what changed between the schemas it was given and the catalog as read
 * after {@code openLsn} ({@link #catchUp}). Generated columns, which the server does not send, are
 * left out of every comparison.
 *
 * <p>Differences become: a column present only in the message, {@link AddColumn} (after the column
 * before it); a column only in the known schema, {@link DropColumn}; a column with another type,
 * {@link AlterColumnType}; same column count, and at one position the same type under a new name
 * that is not used elsewhere, {@link RenameColumn}. Several DDL statements between two changes are
 * seen as one difference, so a rename together with an added or dropped column arrives as a drop
 * and an add.
 *
 * <p>Tables are bound to their oid at their first relation message: a table renamed at the source
 * keeps streaming under the name it was opened with.
 *
 * <p>Used by the stream's reader thread only.
 */
final class SchemaTracker {

    private final Connection catalog;
    private final TypeCatalog types;
    private final PgLsn openLsn;
    private final Map<TableId, TableSchema> known = new LinkedHashMap<>();

    /** The tables whose known schema is their schema as of the stream's start (the history). */
    private final Set<TableId> asOfStart;

    /**
     * A WAL position after which the known schemas of the other tables, read from the catalog after
     * {@code openLsn}, hold every schema change committed before; null until {@link #catchUp} has
     * run.
     */
    private PgLsn caughtUpLsn;

    /**
     * The last answer of {@link #safeSchemas}, kept until a schema or the answer's tables change.
     */
    private Map<TableId, TableSchema> safeSchemas;

    private boolean caughtUpInSafeSchemas;
    private final Map<Long, RelationView> relations = new HashMap<>();

    /** The attribute number of each column of a table seen live in the catalog, by name. */
    private final Map<TableId, Map<String, Integer>> attnums = new HashMap<>();

    /** The attribute numbers of columns this tracker has emitted drops for. */
    private final Map<TableId, Set<Integer>> droppedAttnums = new HashMap<>();

    /**
     * A tracker of the given tables.
     *
     * @param openLsn the server's WAL position when the stream was opened; see the class docs
     * @param asOfStart the tables whose given schema is their schema as of the stream's start
     *     position; see the class docs
     */
    SchemaTracker(
            Connection catalog,
            TypeCatalog types,
            List<TableSchema> tables,
            PgLsn openLsn,
            Set<TableId> asOfStart) {
        this.catalog = catalog;
        this.types = types;
        this.openLsn = openLsn;
        for (TableSchema t : tables) {
            known.put(t.id(), t);
        }
        this.asOfStart = Set.copyOf(asOfStart);
    }

    /**
     * The schema changes from the schemas the stream was given to the catalog's schemas now, in
     * table order, for the tables not given as of the stream's start; applied to the known schemas.
     * Call once, after reading {@code openLsn}.
     *
     * @param caughtUp reads the server's WAL position after the catalog was read; see {@link
     *     #safeSchemas}
     */
    List<ChangeEvent> catchUp(EventMeta meta, CatalogPosition caughtUp) throws SQLException {
        List<CatalogTable> present =
                TableCatalog.tables(catalog).stream()
                        .filter(t -> known.containsKey(t.id()) && !asOfStart.contains(t.id()))
                        .toList();
        List<ChangeEvent> out = new ArrayList<>();
        Map<TableId, Long> oids = new HashMap<>();
        present.forEach(t -> oids.put(t.id(), t.oid()));
        for (TableSchema now : TableCatalog.describe(catalog, present)) {
            long oid = oids.get(now.id());
            remember(now.id(), attributes(oid));
            apply(
                    now.id(),
                    SchemaDiff.diff(
                            now.id(),
                            known.get(now.id()).columns(),
                            now.columns(),
                            meta,
                            evidence(now.id(), oid)),
                    out);
        }
        caughtUpLsn = caughtUp.read();
        return out;
    }

    /** Reads the server's current WAL position. */
    @FunctionalInterface
    interface CatalogPosition {
        PgLsn read() throws SQLException;
    }

    /**
     * The known schema of every table whose schema as of {@code safe} it is exactly: once every
     * change of every transaction up to {@code safe} has been taken in, the tables given as of the
     * stream's start always; the others once {@code safe} has passed the position where their
     * catalog schemas were read (before it, a transaction still to come may show them older than
     * known). Cheap: the same map until a schema changes.
     */
    Map<TableId, TableSchema> safeSchemas(PgLsn safe) {
        boolean caughtUp = caughtUpLsn != null && safe.compareTo(caughtUpLsn) >= 0;
        if (safeSchemas == null || caughtUp != caughtUpInSafeSchemas) {
            Map<TableId, TableSchema> out = new LinkedHashMap<>();
            known.forEach(
                    (table, schema) -> {
                        if (caughtUp || asOfStart.contains(table)) {
                            out.put(table, schema);
                        }
                    });
            safeSchemas = Collections.unmodifiableMap(out);
            caughtUpInSafeSchemas = caughtUp;
        }
        return safeSchemas;
    }

    /** Takes in a type message: the name of a type the following relation uses. */
    void typeName(PgOutputMessage.Type type) {
        types.rememberName(type.oid(), type.namespace(), type.name());
    }

    /** Takes in a relation message: the shape of the table's following changes. */
    void relation(Relation relation) throws SQLException {
        RelationView previous = relations.get(relation.oid());
        TableId table =
                previous != null
                        ? previous.table
                        : TableId.of(
                                relation.namespace().isEmpty()
                                        ? "pg_catalog"
                                        : relation.namespace(),
                                relation.name());
        relations.put(relation.oid(), view(table, relation));
    }

    /**
     * The view to map a change of a table with, after adding to {@code out} the schema changes the
     * change needs first; null for a table that is not streamed.
     *
     * @param meta the change's transaction: its position decides whether a differing relation is
     *     old (mapped) or new (emitted)
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} for a change of a table the server
     *     described no relation message for
     */
    RelationView forChange(long relationOid, EventMeta meta, List<ChangeEvent> out)
            throws SQLException {
        RelationView view = relations.get(relationOid);
        if (view == null) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "The server sent a change of relation "
                            + relationOid
                            + " without describing it first; please report this with the"
                            + " PostgreSQL version");
        }
        if (view.ignored()) {
            return null;
        }
        if (view.differs
                && (asOfStart.contains(view.table)
                        || ((PgLsn) meta.position()).compareTo(openLsn) >= 0)) {
            TableSchema before = known.get(view.table);
            List<Column> sent = new ArrayList<>();
            view.mapping.sent().forEach(i -> sent.add(before.columns().get(i)));
            apply(
                    view.table,
                    SchemaDiff.diff(
                            view.table,
                            sent,
                            columnsOf(view),
                            meta,
                            evidence(view.table, relationOid)),
                    out);
            view = view(view.table, view.relation);
            relations.put(relationOid, view);
        }
        return view;
    }

    private void apply(TableId table, List<SchemaChange> changes, List<ChangeEvent> out) {
        Map<String, Integer> numbers = attnums.computeIfAbsent(table, t -> new HashMap<>());
        for (SchemaChange change : changes) {
            known.put(table, known.get(table).evolve(change));
            safeSchemas = null;
            if (change instanceof DropColumn drop && numbers.containsKey(drop.columnName())) {
                droppedAttnums
                        .computeIfAbsent(table, t -> new HashSet<>())
                        .add(numbers.remove(drop.columnName()));
            } else if (change instanceof RenameColumn rename
                    && numbers.containsKey(rename.oldName())) {
                numbers.put(rename.newName(), numbers.remove(rename.oldName()));
            }
            out.add(change);
        }
    }

    /** The relation's columns with their portable and native types and nullability. */
    private List<Column> columnsOf(RelationView view) throws SQLException {
        CatalogTable table = new CatalogTable(view.relation.oid(), view.table);
        List<TableSchema> now = TableCatalog.describe(catalog, List.of(table));
        TableSchema current = now.isEmpty() ? null : now.get(0);
        List<Column> out = new ArrayList<>();
        for (PgOutputMessage.Column rc : view.relation.columns()) {
            DataType type = types.dataType(rc.typeOid(), rc.typmod());
            int i = current == null ? -1 : current.indexOf(rc.name());
            if (i >= 0 && current.columns().get(i).type().equals(type)) {
                out.add(current.columns().get(i));
            } else {
                out.add(
                        new Column(
                                rc.name(),
                                type,
                                true,
                                types.nativeType(rc.typeOid(), rc.typmod())));
            }
        }
        return out;
    }

    /**
     * The catalog's evidence for a rename: a renamed column keeps its attribute number; a column
     * dropped and another added leaves the dropped one's number behind, marked dropped. When the
     * old column's number was seen, the numbers decide. Otherwise a rename is certain only when no
     * dropped attribute lies between the column before and the candidate, other than columns this
     * tracker already saw dropped; when unsure, the change arrives as a drop and an add, which
     * never puts one column's values into another.
     */
    private SchemaDiff.RenameEvidence evidence(TableId table, long relationOid) {
        return (from, before, renamed) -> {
            try {
                Map<String, Attribute> live = attributes(relationOid);
                Attribute candidate = live.get(renamed);
                if (candidate == null) {
                    return false;
                }
                Integer was = attnums.getOrDefault(table, Map.of()).get(from);
                if (was != null) {
                    return was == candidate.number();
                }
                int low =
                        before == null || live.get(before) == null ? 0 : live.get(before).number();
                Set<Integer> seenDropped = droppedAttnums.getOrDefault(table, Set.of());
                for (int d : droppedAttributes(relationOid)) {
                    if (d > low && d < candidate.number() && !seenDropped.contains(d)) {
                        return false;
                    }
                }
                return true;
            } catch (SQLException e) {
                throw new SiphonException(
                        ErrorCode.CONNECTION_LOST,
                        "could not read the columns of "
                                + table
                                + " from the catalog: "
                                + e.getMessage(),
                        e);
            }
        };
    }

    /** Remembers the attribute numbers of a table's live columns. */
    private void remember(TableId table, Map<String, Attribute> live) {
        Map<String, Integer> numbers = attnums.computeIfAbsent(table, t -> new HashMap<>());
        live.forEach((name, a) -> numbers.put(name, a.number()));
    }

    private List<Integer> droppedAttributes(long relationOid) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps =
                catalog.prepareStatement(
                        "SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = ? AND attnum"
                                + " > 0 AND attisdropped")) {
            ps.setLong(1, relationOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    /**
     * How a relation message's columns map onto the known schema of its table: by name, except a
     * column renamed since the message's transaction (see {@link #renamedColumn}). Known columns
     * the server never sends (generated columns) are left out of the comparison.
     */
    private RelationView view(TableId table, Relation relation) throws SQLException {
        TableSchema schema = known.get(table);
        if (schema == null) {
            return new RelationView(table, relation, null, false, null, null);
        }
        Map<String, Attribute> attributes = attributes(relation.oid());
        remember(table, attributes);
        List<Integer> sent = sentColumns(schema, attributes);
        List<PgOutputMessage.Column> rcs = relation.columns();
        types.load(rcs.stream().map(PgOutputMessage.Column::typeOid).toList());
        Set<String> relationNames = new HashSet<>();
        rcs.forEach(c -> relationNames.add(c.name()));
        boolean differs = rcs.size() != sent.size();
        int[] target = new int[rcs.size()];
        TextDecoder[] decoders = new TextDecoder[rcs.size()];
        for (int i = 0; i < rcs.size(); i++) {
            PgOutputMessage.Column rc = rcs.get(i);
            DataType type = types.dataType(rc.typeOid(), rc.typmod());
            int t = schema.indexOf(rc.name());
            if (t < 0) {
                t = renamedColumn(schema, rcs, i, type, relationNames, attributes);
            }
            target[i] = t;
            Column knownColumn = t < 0 ? null : schema.columns().get(t);
            differs |=
                    knownColumn == null
                            || i >= sent.size()
                            || t != sent.get(i)
                            || !knownColumn.name().equals(rc.name())
                            || !knownColumn.type().equals(type);
            decoders[i] =
                    knownColumn == null || knownColumn.type().equals(type)
                            ? types.textDecoder(rc.typeOid(), rc.typmod())
                            // An old relation whose column changed type since: its values are
                            // read as the known type, whose text form a widened type accepts.
                            : PgTextDecoders.forType(knownColumn.type());
        }
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < rcs.size(); i++) {
            if (rcs.get(i).key() && target[i] >= 0) {
                keys.add(target[i]);
            }
        }
        int[] keyTargets =
                keys.isEmpty()
                        ? schema.keyIndexes()
                        : keys.stream().mapToInt(Integer::intValue).toArray();
        return new RelationView(
                table,
                relation,
                schema,
                differs,
                new Mapping(target, decoders, keyTargets, sent, missingValues(schema)),
                relation.columns().stream()
                        .map(PgOutputMessage.Column::name)
                        .toArray(String[]::new));
    }

    /**
     * The known column that message column {@code i} (whose name the known schema lacks) was
     * renamed to, or -1. An older message can name a column that has been renamed since; without
     * attribute numbers in the message, it is that column only when this is certain: the known
     * column at the same place has the same type, its name is not in the message, and it existed
     * when the message was written, because a later column of the message is older than it
     * (attribute numbers only grow, and every column that existed then is in the message). A column
     * that cannot be placed is left out (null in the row), never put into another column.
     */
    private static int renamedColumn(
            TableSchema schema,
            List<PgOutputMessage.Column> rcs,
            int i,
            DataType type,
            Set<String> relationNames,
            Map<String, Attribute> attributes) {
        if (i >= schema.columns().size()) {
            return -1;
        }
        Column candidate = schema.columns().get(i);
        Attribute candidateAttribute = attributes.get(candidate.name());
        if (relationNames.contains(candidate.name())
                || !candidate.type().equals(type)
                || candidateAttribute == null) {
            return -1;
        }
        for (int j = i + 1; j < rcs.size(); j++) {
            Attribute later = attributes.get(rcs.get(j).name());
            if (later != null
                    && schema.indexOf(rcs.get(j).name()) >= 0
                    && later.number() > candidateAttribute.number()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value each known column has in a row written before it existed (see {@link
     * Column#missingValue()}); null when that is NULL for every column.
     */
    private static Object[] missingValues(TableSchema schema) {
        Object[] out = new Object[schema.columns().size()];
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            out[i] = schema.columns().get(i).missingValue();
            any |= out[i] != null;
        }
        return any ? out : null;
    }

    /** The positions of the known columns the server sends: all but generated columns. */
    private static List<Integer> sentColumns(
            TableSchema schema, Map<String, Attribute> attributes) {
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            Attribute a = attributes.get(schema.columns().get(i).name());
            if (a == null || !a.generated()) {
                sent.add(i);
            }
        }
        return sent;
    }

    /** A column of a table as the catalog has it now. */
    private record Attribute(int number, boolean generated) {}

    private Map<String, Attribute> attributes(long relationOid) throws SQLException {
        Map<String, Attribute> out = new HashMap<>();
        try (PreparedStatement ps =
                catalog.prepareStatement(
                        "SELECT attname, attnum, attgenerated <> '' FROM pg_catalog.pg_attribute"
                                + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped")) {
            ps.setLong(1, relationOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Attribute(rs.getInt(2), rs.getBoolean(3)));
                }
            }
        }
        return out;
    }

    /**
     * Where each message column goes in the known schema (-1: nowhere), how its text is decoded,
     * where the key columns are, which known columns the server sends, and what a row that lacks a
     * known column has in it (null: NULL for every column).
     */
    private record Mapping(
            int[] target,
            TextDecoder[] decoders,
            int[] keyTargets,
            List<Integer> sent,
            Object[] missingValues) {}

    /**
     * A relation message mapped onto the known schema of its table; {@link #ignored()} for a table
     * the stream was not opened with.
     */
    static final class RelationView {
        private final TableId table;
        private final Relation relation;
        private final TableSchema schema;
        private final boolean differs;
        private final Mapping mapping;
        private final String[] names;

        private RelationView(
                TableId table,
                Relation relation,
                TableSchema schema,
                boolean differs,
                Mapping mapping,
                String[] names) {
            this.table = table;
            this.relation = relation;
            this.schema = schema;
            this.differs = differs;
            this.mapping = mapping;
            this.names = names;
        }

        boolean ignored() {
            return schema == null;
        }

        TableId table() {
            return table;
        }

        /** The names of the columns in the relation message, in its order. */
        List<String> columnNames() {
            return List.of(names);
        }

        /**
         * A tuple as a row of the known schema.
         *
         * @param missing the value of a known column the tuple does not have: null for a new or old
         *     row, which then has the column's {@linkplain Column#missingValue() missing value}
         *     (the tuple is older than the column), {@link Unchanged#VALUE} for the new row of an
         *     update
         */
        Row row(TupleData tuple, Object missing) {
            if (tuple.size() != mapping.target.length) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "A change of table "
                                + table
                                + " has "
                                + tuple.size()
                                + " values but its relation message "
                                + mapping.target.length
                                + " columns; please report this with the PostgreSQL version");
            }
            Object[] values = new Object[schema.columns().size()];
            if (missing != null) {
                Arrays.fill(values, missing);
            } else if (mapping.missingValues != null) {
                System.arraycopy(mapping.missingValues, 0, values, 0, values.length);
            }
            TupleData.Kind[] kinds = tuple.kinds();
            String[] texts = tuple.texts();
            for (int i = 0; i < kinds.length; i++) {
                int t = mapping.target[i];
                if (t < 0) {
                    continue;
                }
                values[t] =
                        switch (kinds[i]) {
                            case NULL -> null;
                            case UNCHANGED -> Unchanged.VALUE;
                            case TEXT -> decode(i, texts[i]);
                        };
            }
            return new Row(values);
        }

        /**
         * The key columns of a row, the other columns null: the old row of an update that kept its
         * key.
         */
        Row keyOf(Row row) {
            Object[] values = new Object[row.size()];
            for (int k : mapping.keyTargets) {
                values[k] = row.get(k);
            }
            return new Row(values);
        }

        private Object decode(int column, String text) {
            try {
                return mapping.decoders[column].decode(text);
            } catch (RuntimeException e) {
                // The exception's own message may quote the value, which must not reach logs.
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "Cannot decode column "
                                + names[column]
                                + " of table "
                                + table
                                + " from its text form ("
                                + e.getClass().getSimpleName()
                                + "); its type is "
                                + schema.columns().get(mapping.target[column]).type()
                                + ". Please report this with the column's type",
                        null);
            }
        }
    }
}
