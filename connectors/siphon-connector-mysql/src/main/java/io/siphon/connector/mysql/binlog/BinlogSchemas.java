package io.siphon.connector.mysql.binlog;

import io.siphon.connector.mysql.catalog.MySqlCatalog;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.connector.support.schema.SchemaDiff;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.SchemaChange;
import io.siphon.model.Column;
import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema history of a binlog stream: the schema of each streamed table as of the stream's
 * position, moved forward by the DDL statements of the log's {@code QUERY} events, which are parsed
 * with JSqlParser into the model's schema changes ({@code CREATE}/{@code DROP}/{@code RENAME
 * TABLE}, {@code ADD}/{@code DROP}/{@code MODIFY}/{@code CHANGE}/{@code RENAME COLUMN}, {@code
 * TRUNCATE}).
 *
 * <p>The binlog holds the statement as the client sent it, in either dialect. A statement that
 * names a streamed table and that the parser cannot read (for example {@code DROP TABLE a, b}) is
 * not skipped: the table's definition is read from the catalog and diffed with the history's
 * ({@link SchemaDiff}), which is exact unless the table changed again since.
 *
 * <p>Changes that would do nothing to the history's schema (a column added that it already has) are
 * dropped, so that the stream can start from a table's schema as the catalog has it now and replay
 * the older DDL of the log over it.
 *
 * <p>Used by the stream's reader thread only.
 */
final class BinlogSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogSchemas.class);

    /** Statements that may change a table's shape or rows; others are never parsed. */
    private static final Pattern DDL =
            Pattern.compile(
                    "^\\s*(/\\*.*?\\*/\\s*)*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\\b",
                    Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final MySqlTypeMapper types;

    /** The tables streamed now; replaced (never changed) on every schema change. */
    private Map<TableId, TableSchema> schemas;

    /** Streamed tables that were dropped, so that a table created again under the name streams. */
    private final Set<TableId> dropped = new HashSet<>();

    BinlogSchemas(List<TableSchema> tables, MySqlTypeMapper types) {
        this.types = types;
        Map<TableId, TableSchema> out = new HashMap<>();
        for (TableSchema t : tables) {
            out.put(t.id(), t);
        }
        schemas = Map.copyOf(out);
    }

    /** A streamed table's schema now, or null when the table is not streamed. */
    TableSchema schema(TableId id) {
        return schemas.get(id);
    }

    /** Every streamed table's schema now; an immutable map that later changes do not touch. */
    Map<TableId, TableSchema> snapshot() {
        return schemas;
    }

    /**
     * The changes a statement makes to streamed tables, applied to the history.
     *
     * @param database the statement's default database
     * @param sql the statement
     * @param meta the meta data of the statement's transaction
     * @param catalog a catalog connection, for statements the parser cannot read
     */
    List<ChangeEvent> apply(String database, String sql, EventMeta meta, Connection catalog)
            throws SQLException {
        if (!DDL.matcher(sql).find()) {
            return List.of();
        }
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(sql);
        } catch (JSQLParserException | RuntimeException e) {
            return fromCatalog(database, sql, meta, catalog);
        }
        List<ChangeEvent> out = new ArrayList<>();
        switch (statement) {
            case CreateTable c -> create(c, database, meta, catalog, out);
            case Drop d -> drop(d, database, meta, out);
            case Alter a -> alter(a, database, meta, catalog, out);
            case RenameTableStatement r -> {
                for (Map.Entry<Table, Table> e : r.getTableNames()) {
                    rename(id(e.getKey(), database), id(e.getValue(), database), meta, out);
                }
            }
            case Truncate t -> {
                TableId id = id(t.getTable(), database);
                if (schemas.containsKey(id)) {
                    out.add(new ChangeEvent.Truncate(id, meta));
                }
            }
            default -> {}
        }
        return out;
    }

    private void create(
            CreateTable c,
            String database,
            EventMeta meta,
            Connection catalog,
            List<ChangeEvent> out)
            throws SQLException {
        TableId id = id(c.getTable(), database);
        // Only a table the pipeline dropped can be created again; a known table's CREATE is the one
        // that made it (a table given as the catalog has it now, created after the position).
        if (!dropped.contains(id)) {
            return;
        }
        if (c.getCreateOptionsStrings() != null
                && c.getCreateOptionsStrings().stream().anyMatch("TEMPORARY"::equalsIgnoreCase)) {
            return;
        }
        TableSchema schema;
        if (c.getColumnDefinitions() == null || c.getColumnDefinitions().isEmpty()) {
            // CREATE TABLE ... LIKE / AS SELECT: the columns are not in the statement.
            schema = MySqlCatalog.describe(catalog, id, types);
            if (schema == null) {
                return;
            }
        } else {
            List<Column> columns = new ArrayList<>();
            List<String> key = new ArrayList<>();
            for (ColumnDefinition d : c.getColumnDefinitions()) {
                Column column = DdlColumns.column(d, types);
                columns.add(column);
                if (DdlColumns.primaryKey(d)) {
                    key.add(column.name());
                }
            }
            if (c.getIndexes() != null) {
                for (Index index : c.getIndexes()) {
                    if ("PRIMARY KEY".equalsIgnoreCase(index.getType())) {
                        index.getColumnsNames()
                                .forEach(n -> key.add(canonical(columns, unquote(n))));
                    }
                }
            }
            schema = new TableSchema(id, columns, key);
        }
        if (schema.equals(schemas.get(id))) {
            return;
        }
        dropped.remove(id);
        put(id, schema);
        out.add(new ChangeEvent.CreateTable(id, schema, meta));
    }

    private void drop(Drop d, String database, EventMeta meta, List<ChangeEvent> out) {
        if (!"TABLE".equalsIgnoreCase(d.getType()) || d.isUsingTemporary()) {
            return;
        }
        TableId id = id(d.getName(), database);
        if (schemas.containsKey(id)) {
            remove(id);
            dropped.add(id);
            out.add(new ChangeEvent.DropTable(id, meta));
        }
    }

    private void rename(TableId from, TableId to, EventMeta meta, List<ChangeEvent> out) {
        TableSchema schema = schemas.get(from);
        if (schema == null) {
            return;
        }
        remove(from);
        put(to, schema.withId(to));
        out.add(new ChangeEvent.RenameTable(from, to, meta));
    }

    private void alter(
            Alter a, String database, EventMeta meta, Connection catalog, List<ChangeEvent> out)
            throws SQLException {
        TableId id = id(a.getTable(), database);
        if (!schemas.containsKey(id) || a.getAlterExpressions() == null) {
            return;
        }
        for (AlterExpression e : a.getAlterExpressions()) {
            TableSchema schema = schemas.get(id);
            switch (e.getOperation()) {
                case ADD -> {
                    if (e.getColDataTypeList() == null) {
                        continue;
                    }
                    for (AlterExpression.ColumnDataType d : e.getColDataTypeList()) {
                        Column column = DdlColumns.column(d, types);
                        if (find(schema, column.name()) == null) {
                            change(
                                    id,
                                    new ChangeEvent.AddColumn(id, column, after(schema, d), meta),
                                    out);
                            schema = schemas.get(id);
                        }
                    }
                }
                case DROP -> {
                    Column old = find(schema, unquote(e.getColumnName()));
                    if (e.getColumnName() != null && old != null) {
                        change(id, new ChangeEvent.DropColumn(id, old.name(), meta), out);
                    }
                }
                case MODIFY, CHANGE, ALTER -> {
                    if (e.getColDataTypeList() == null) {
                        continue;
                    }
                    for (AlterExpression.ColumnDataType d : e.getColDataTypeList()) {
                        String oldName =
                                e.getColumnOldName() != null
                                        ? unquote(e.getColumnOldName())
                                        : unquote(d.getColumnName());
                        Column old = find(schema, oldName);
                        if (old == null) {
                            continue;
                        }
                        Column column = DdlColumns.column(d, types);
                        if (!old.name().equals(column.name())) {
                            change(
                                    id,
                                    new ChangeEvent.RenameColumn(
                                            id, old.name(), column.name(), meta),
                                    out);
                        }
                        if (!sameType(old, column)) {
                            change(id, new ChangeEvent.AlterColumnType(id, column, meta), out);
                        }
                        schema = schemas.get(id);
                    }
                }
                case RENAME -> {
                    Column old = find(schema, unquote(e.getColumnOldName()));
                    String to = unquote(e.getColumnName());
                    if (old != null && to != null && find(schema, to) == null) {
                        change(id, new ChangeEvent.RenameColumn(id, old.name(), to, meta), out);
                    }
                }
                case RENAME_TABLE ->
                        rename(id, id(new Table(e.getNewTableName()), database), meta, out);
                default -> {
                    // Keys, indexes, defaults, options: no change to columns or rows.
                }
            }
            if (!schemas.containsKey(id)) {
                return;
            }
        }
    }

    /**
     * The column a new one follows: {@code AFTER x}, else the table's last column (it is appended);
     * null for {@code FIRST}, which the model cannot place, so the column goes last.
     */
    private static String after(TableSchema schema, ColumnDefinition d) {
        List<String> specs = d.getColumnSpecs() == null ? List.of() : d.getColumnSpecs();
        for (int i = 0; i + 1 < specs.size(); i++) {
            if (specs.get(i).equalsIgnoreCase("AFTER")) {
                Column c = find(schema, unquote(specs.get(i + 1)));
                return c == null ? null : c.name();
            }
        }
        if (specs.stream().anyMatch("FIRST"::equalsIgnoreCase) || schema.columns().isEmpty()) {
            return null;
        }
        return schema.columns().get(schema.columns().size() - 1).name();
    }

    private static boolean sameType(Column a, Column b) {
        return a.type().equals(b.type()) && a.nullable() == b.nullable();
    }

    private void change(TableId id, SchemaChange change, List<ChangeEvent> out) {
        put(id, schemas.get(id).evolve(change));
        out.add(change);
    }

    /**
     * For a statement the parser cannot read: the streamed tables it names, each as the catalog has
     * it now, diffed with the history.
     */
    private List<ChangeEvent> fromCatalog(
            String database, String sql, EventMeta meta, Connection catalog) throws SQLException {
        String lower = sql.toLowerCase(Locale.ROOT);
        List<ChangeEvent> out = new ArrayList<>();
        for (TableSchema old : List.copyOf(schemas.values())) {
            if (!lower.contains(old.id().table().toLowerCase(Locale.ROOT))) {
                continue;
            }
            TableSchema now = MySqlCatalog.describe(catalog, old.id(), types);
            LOG.info(
                    "Could not parse a DDL statement that names {}; reading its definition from the"
                            + " catalog instead: {}",
                    old.id(),
                    sql);
            if (now == null) {
                remove(old.id());
                dropped.add(old.id());
                out.add(new ChangeEvent.DropTable(old.id(), meta));
                continue;
            }
            for (SchemaChange c :
                    SchemaDiff.diff(
                            old.id(), old.columns(), now.columns(), meta, (f, b, r) -> false)) {
                change(old.id(), c, out);
            }
        }
        return out;
    }

    private void put(TableId id, TableSchema schema) {
        Map<TableId, TableSchema> next = new HashMap<>(schemas);
        next.put(id, schema);
        schemas = Map.copyOf(next);
    }

    private void remove(TableId id) {
        Map<TableId, TableSchema> next = new HashMap<>(schemas);
        next.remove(id);
        schemas = Map.copyOf(next);
    }

    /** A column by name, as MySQL finds it: without regard to case. */
    private static Column find(TableSchema schema, String name) {
        if (name == null) {
            return null;
        }
        for (Column c : schema.columns()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    private static String canonical(List<Column> columns, String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c.name();
            }
        }
        return name;
    }

    private static TableId id(Table table, String database) {
        String schema = table.getSchemaName() == null ? database : unquote(table.getSchemaName());
        return TableId.of(schema, unquote(table.getName()));
    }

    /** A name without its backticks or double quotes. */
    static String unquote(String name) {
        if (name == null || name.length() < 2) {
            return name;
        }
        char first = name.charAt(0);
        if ((first == '`' || first == '"') && name.charAt(name.length() - 1) == first) {
            String q = String.valueOf(first);
            return name.substring(1, name.length() - 1).replace(q + q, q);
        }
        return name;
    }
}
