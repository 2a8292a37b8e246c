package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresConnectorFactory;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.catalog.CatalogTable;
import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.connector.postgres.types.PgTypeMapping;
import io.siphon.connector.support.schema.TypeWidening;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side: creates target tables (with the source's native types when the source is
 * PostgreSQL too) and opens {@link PostgresSinkWriter}s.
 */
public final class PostgresSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

    private final PostgresConnector connector;
    private final ColumnTypes columnTypes;

    /**
     * The sink of a connector.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a malformed {@code
     *     column-types} entry
     */
    public PostgresSink(PostgresConnector connector) {
        this.connector = connector;
        this.columnTypes = ColumnTypes.of(connector.config());
    }

    /**
     * Creates the schema and table when missing; otherwise checks that every source column exists
     * and that the source's key has a unique index to upsert on. For a PostgreSQL source each
     * column gets its native type (enum types are created too, with the same labels); a native type
     * that does not exist here (a composite or extension type) falls back to the portable mapping,
     * with a warning.
     */
    @Override
    public PreparedTable prepareTable(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = PostgresConnectorFactory.TYPE.equals(sourceType);
        try {
            Connection c = connector.connection();
            if (!columnTypes.forTable(target).isEmpty()) {
                // Said once per run, as siphon validate says it.
                for (Problem p :
                        overrideWarnings(c, source, target, TableCatalog.find(c, target))) {
                    LOG.warn("{}. {}", p.message(), p.fix());
                }
            }
            return prepare(
                    c, source, target, TypeChoice.of(nativeTypes, columnTypes.forTable(target)));
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e, "preparing target table " + target, ErrorCode.SINK_WRITE_FAILED);
        }
    }

    /**
     * Creates or checks a target table as {@link #prepareTable} describes, on any connection (the
     * writer uses its own for tables created at the source while streaming).
     *
     * @param choice how each column's type is chosen
     */
    static PreparedTable prepare(
            Connection c, TableSchema source, TableId target, TypeChoice choice)
            throws SQLException {
        execute(c, "CREATE SCHEMA IF NOT EXISTS " + SqlText.quote(target.schema()));
        CatalogTable existing = TableCatalog.find(c, target);
        TableSchema prepared = source.withId(target);
        if (existing == null) {
            create(c, source, target, choice);
            LOG.info("Created table {} for {}", target, source.id());
            return new PreparedTable(prepared, true, true);
        }
        warnPlainGenerated(c, source, target);
        List<Problem> problems = shapeProblems(c, existing, source, target, choice);
        Problem.throwAll("target table " + target, problems);
        boolean empty = !bool(c, "SELECT EXISTS (SELECT 1 FROM " + SqlText.quote(target) + ")");
        return new PreparedTable(prepared, false, empty);
    }

    @Override
    public List<Problem> checkTable(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = PostgresConnectorFactory.TYPE.equals(sourceType);
        try {
            Connection c = connector.connection();
            TypeChoice choice = TypeChoice.of(nativeTypes, columnTypes.forTable(target));
            List<Problem> problems = new ArrayList<>(unknownOverrides(c, source, target, choice));
            CatalogTable existing = TableCatalog.find(c, target);
            if (existing != null) {
                problems.addAll(shapeProblems(c, existing, source, target, choice));
            }
            return problems;
        } catch (SQLException e) {
            SiphonException ex =
                    PostgresErrors.translate(
                            e, "checking target table " + target, ErrorCode.SINK_WRITE_FAILED);
            return List.of(new Problem(ex.code(), ex.getMessage(), "Fix it and validate again"));
        }
    }

    /**
     * The {@code CREATE TABLE} that {@link #prepareTable} would run, built inside a transaction
     * that is rolled back: the enum types a column needs, which it may create on the way, are
     * rolled back too (and not listed).
     */
    @Override
    public List<String> plannedStatements(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = PostgresConnectorFactory.TYPE.equals(sourceType);
        try {
            Connection c = connector.connection();
            if (TableCatalog.find(c, target) != null) {
                return List.of();
            }
            TypeChoice choice = TypeChoice.of(nativeTypes, columnTypes.forTable(target));
            boolean generated =
                    source.columns().stream().noneMatch(Column::generated)
                            || trialCreate(c, source, target, choice) == null;
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                return List.of(createTable(c, source, target, choice, generated));
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e, "planning target table " + target, ErrorCode.SINK_WRITE_FAILED);
        }
    }

    /**
     * What keeps an existing target table from taking the source's rows: missing columns, narrower
     * columns, {@code NOT NULL} columns of its own without a default, a missing key.
     */
    private static List<Problem> shapeProblems(
            Connection c,
            CatalogTable existing,
            TableSchema source,
            TableId target,
            TypeChoice choice)
            throws SQLException {
        TableSchema current = TableCatalog.describe(c, List.of(existing)).get(0);
        List<Problem> problems = new ArrayList<>();
        Problem missing = missingColumns(source, current, choice);
        if (missing != null) {
            problems.add(missing);
        }
        problems.addAll(narrowerColumns(c, source, current, choice));
        Problem required = requiredColumns(c, existing, source, target);
        if (required != null) {
            problems.add(required);
        }
        if (source.hasPrimaryKey()) {
            Problem key = missingKey(c, existing, source, target);
            if (key != null) {
                problems.add(key);
            }
        }
        return problems;
    }

    /**
     * Columns the target declares narrower than the source (shorter text, fewer digits, a smaller
     * integer or float, a lower precision): a value that fits at the source may not fit there.
     * Columns whose type the user chose ({@code column-types}) are theirs to judge.
     */
    private static List<Problem> narrowerColumns(
            Connection c, TableSchema source, TableSchema current, TypeChoice choice)
            throws SQLException {
        List<Problem> out = new ArrayList<>();
        for (Column column : source.columns()) {
            int at = current.indexOf(column.name());
            if (at < 0 || choice.override(column) != null) {
                continue;
            }
            Column there = current.columns().get(at);
            if (!there.type().equals(column.type())
                    && TypeWidening.widens(there.type(), column.type())) {
                String type = columnType(c, column, current.id(), choice);
                out.add(
                        new Problem(
                                ErrorCode.SCHEMA_MISMATCH,
                                "Column "
                                        + column.name()
                                        + " of target table "
                                        + current.id()
                                        + " is "
                                        + there.nativeType()
                                        + ", narrower than "
                                        + type
                                        + " at source table "
                                        + source.id()
                                        + ", so a value may not fit",
                                "Run: ALTER TABLE "
                                        + SqlText.quote(current.id())
                                        + " ALTER COLUMN "
                                        + SqlText.quote(column.name())
                                        + " TYPE "
                                        + type
                                        + ";"));
            }
        }
        return out;
    }

    /**
     * {@code NOT NULL} columns of the target that the source does not have and that have no
     * default: every row the pipeline inserts would leave them empty and fail.
     */
    private static Problem requiredColumns(
            Connection c, CatalogTable existing, TableSchema source, TableId target)
            throws SQLException {
        List<String> required = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = ?::oid AND"
                                + " attnum > 0 AND NOT attisdropped AND attnotnull AND NOT"
                                + " atthasdef AND attidentity = '' AND attgenerated = ''"
                                + " ORDER BY attnum")) {
            ps.setLong(1, existing.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (source.indexOf(rs.getString(1)) < 0) {
                        required.add(rs.getString(1));
                    }
                }
            }
        }
        if (required.isEmpty()) {
            return null;
        }
        return new Problem(
                ErrorCode.SCHEMA_MISMATCH,
                "Table "
                        + target
                        + " at the target has NOT NULL columns "
                        + required
                        + " without a default that source table "
                        + source.id()
                        + " does not have, so every row the pipeline inserts would fail",
                "Run: "
                        + required.stream()
                                .map(
                                        col ->
                                                "ALTER TABLE "
                                                        + SqlText.quote(target)
                                                        + " ALTER COLUMN "
                                                        + SqlText.quote(col)
                                                        + " DROP NOT NULL;")
                                .collect(Collectors.joining(" "))
                        + " (or give them a default with ALTER COLUMN ... SET DEFAULT)");
    }

    @Override
    public SinkWriter openWriter() {
        return new PostgresSinkWriter(
                connector.endpoint(),
                connector.config().get(PostgresOptions.COPY_BUFFER_KB),
                null,
                columnTypes);
    }

    /**
     * Opens an exactly-once writer: it keeps the pipeline's {@link TargetLedger} in the schema
     * {@code siphon} at the target, creating it when missing.
     */
    @Override
    public SinkWriter openWriter(String pipeline) {
        return new PostgresSinkWriter(
                connector.endpoint(),
                connector.config().get(PostgresOptions.COPY_BUFFER_KB),
                pipeline,
                columnTypes);
    }

    /**
     * Deletes the pipeline's rows from {@code siphon.applied_position} and {@code
     * siphon.applied_chunk} in one transaction; nothing when the schema {@code siphon} was never
     * created.
     */
    @Override
    public long forgetPipeline(String pipeline) {
        try {
            return TargetLedger.forget(connector.connection(), pipeline);
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e,
                    "removing what pipeline "
                            + pipeline
                            + " applied from the schema siphon at "
                            + connector.endpoint().address(),
                    ErrorCode.SINK_WRITE_FAILED);
        }
    }

    /**
     * Creates a target table. Generated columns of the source are created generated with the same
     * expression, so the target computes them (the stream does not carry them); when the target
     * cannot compile an expression (it names a function or type the target lacks), the table is
     * created with plain columns instead, with a warning that says what that means.
     */
    private static void create(Connection c, TableSchema source, TableId target, TypeChoice choice)
            throws SQLException {
        if (source.columns().stream().noneMatch(Column::generated)) {
            execute(c, createTable(c, source, target, choice, true));
            return;
        }
        java.sql.Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            execute(c, createTable(c, source, target, choice, true));
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            return;
        } catch (SQLException e) {
            if (!aboutExpressions(e)) {
                throw e;
            }
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            Problem p = uncomputable(source, target, PostgresErrors.primaryMessage(e));
            LOG.warn("{}. {}", p.message(), p.fix());
        }
        execute(c, createTable(c, source, target, choice, false));
    }

    /**
     * Whether a failed {@code CREATE TABLE} failed on a generation expression: class 42 (an
     * undefined function, type or operator, or an expression the target cannot take), except a
     * missing privilege, which the table without expressions would meet too; or 3F000, a schema the
     * target lacks (the trial table is temporary, so only an expression can name one, as in {@code
     * app.price_with_tax(price)} from an application's own schema).
     */
    private static boolean aboutExpressions(SQLException e) {
        String state = e.getSQLState();
        return state != null
                && (state.startsWith("42") && !state.equals("42501") || state.equals("3F000"));
    }

    /** What it means that the target cannot compute the source's generated columns. */
    private static Problem uncomputable(TableSchema source, TableId target, String reason) {
        return new Problem(
                ErrorCode.SCHEMA_MISMATCH,
                "Target table "
                        + target
                        + " gets plain columns "
                        + source.columns().stream()
                                .filter(Column::generated)
                                .map(col -> col.name() + " AS (" + col.generatedExpression() + ")")
                                .toList()
                        + " where source table "
                        + source.id()
                        + " has generated ones, because the target cannot compute their"
                        + " expressions ("
                        + reason
                        + "): the snapshot copies their values, but changes streamed from"
                        + " PostgreSQL before 18 do not carry generated columns, so rows inserted"
                        + " while streaming get NULL in them and updated rows keep their old values",
                "Create what the expressions need at the target (the function or type) before the"
                        + " table is created, or, once created, drop it and copy it again with"
                        + " --resnapshot");
    }

    /**
     * What the target does not follow exactly in a table: the source's generated columns that an
     * existing target table has as plain columns, or that a new one cannot compute; and columns
     * whose {@code column-types} override may not hold every source value, or that an existing
     * table has with another type (an override applies when the sink creates the column).
     */
    @Override
    public List<Problem> tableWarnings(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = PostgresConnectorFactory.TYPE.equals(sourceType);
        TypeChoice choice = TypeChoice.of(nativeTypes, columnTypes.forTable(target));
        try {
            Connection c = connector.connection();
            CatalogTable existing = TableCatalog.find(c, target);
            List<Problem> out = new ArrayList<>(overrideWarnings(c, source, target, existing));
            if (source.columns().stream().anyMatch(Column::generated)) {
                Problem p =
                        existing != null
                                ? plainGenerated(c, source, target)
                                : trialCreate(c, source, target, choice);
                if (p != null) {
                    out.add(p);
                }
            }
            return out;
        } catch (SQLException e) {
            SiphonException ex =
                    PostgresErrors.translate(
                            e, "checking target table " + target, ErrorCode.SINK_WRITE_FAILED);
            return List.of(new Problem(ex.code(), ex.getMessage(), "Fix it and validate again"));
        }
    }

    /** Overrides whose type does not exist here: the table could not be created. */
    private static List<Problem> unknownOverrides(
            Connection c, TableSchema source, TableId target, TypeChoice choice)
            throws SQLException {
        List<Problem> out = new ArrayList<>();
        for (Column column : source.columns()) {
            String type = choice.override(column);
            if (type != null && TypeProbe.portableTypeOf(c, type) == null) {
                out.add(
                        new Problem(
                                ErrorCode.CONFIG_INVALID_VALUE,
                                "sink.column-types gives column "
                                        + column.name()
                                        + " of target table "
                                        + target
                                        + " the type '"
                                        + type
                                        + "', which the target does not know",
                                "Write a PostgreSQL type that exists at the target, such as text,"
                                        + " varchar(200) or numeric(20,0) (create an extension's"
                                        + " type first)"));
            }
        }
        return out;
    }

    /**
     * Overrides that may not hold every value of the source column: neither its portable type, nor
     * a widening of it, nor unbounded text (which every value can be written as).
     */
    private List<Problem> overrideWarnings(
            Connection c, TableSchema source, TableId target, CatalogTable existing)
            throws SQLException {
        Map<String, String> overrides = columnTypes.forTable(target);
        if (overrides.isEmpty()) {
            return List.of();
        }
        TableSchema current =
                existing == null ? null : TableCatalog.describe(c, List.of(existing)).get(0);
        List<Problem> out = new ArrayList<>();
        for (Column column : source.columns()) {
            String type = overrides.get(column.name());
            if (type == null) {
                continue;
            }
            DataType chosen = TypeProbe.portableTypeOf(c, type);
            if (chosen == null) {
                continue; // checkTable reports it
            }
            int at = current == null ? -1 : current.indexOf(column.name());
            if (at >= 0 && !current.columns().get(at).type().equals(chosen)) {
                out.add(
                        new Problem(
                                ErrorCode.SCHEMA_MISMATCH,
                                "Column "
                                        + column.name()
                                        + " of existing target table "
                                        + target
                                        + " is "
                                        + current.columns().get(at).nativeType()
                                        + ", not "
                                        + type
                                        + " as sink.column-types says: an override applies when"
                                        + " the sink creates the column",
                                "Run: ALTER TABLE "
                                        + SqlText.quote(target)
                                        + " ALTER COLUMN "
                                        + SqlText.quote(column.name())
                                        + " TYPE "
                                        + type
                                        + "; or drop the override"));
                continue;
            }
            if (!holdsEveryValue(column.type(), chosen)) {
                out.add(
                        new Problem(
                                ErrorCode.SCHEMA_MISMATCH,
                                "Column "
                                        + column.name()
                                        + " of target table "
                                        + target
                                        + " gets type "
                                        + type
                                        + " (sink.column-types), which may not hold every value"
                                        + " of the source's "
                                        + PgTypeMapping.toPostgresType(column.type())
                                        + ": a value it refuses stops the pipeline with"
                                        + " DATA_INVALID, naming the table, column and key",
                                "Keep the override only if every value fits; else choose a"
                                        + " type at least as wide, or text"));
            }
        }
        return out;
    }

    /** Whether a column of type {@code to} holds every value of {@code from}. */
    static boolean holdsEveryValue(DataType from, DataType to) {
        return to.equals(from)
                || TypeWidening.widens(from, to)
                || to.equals(DataType.StringType.unbounded());
    }

    /**
     * Creates the target table as a temporary table in a transaction that is rolled back, to learn
     * whether the target can compute the generated columns; null when it can.
     */
    private static Problem trialCreate(
            Connection c, TableSchema source, TableId target, TypeChoice choice)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            execute(c, createTable(c, source, TableId.of("pg_temp", "siphon_trial"), choice, true));
            return null;
        } catch (SQLException e) {
            if (!aboutExpressions(e)) {
                throw e;
            }
            return uncomputable(source, target, PostgresErrors.primaryMessage(e));
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Warns about target columns that are plain where the source's are generated: the writer fills
     * them from the snapshot, but the stream does not carry generated values, so they go stale
     * under CDC.
     */
    private static void warnPlainGenerated(Connection c, TableSchema source, TableId target)
            throws SQLException {
        Problem p = plainGenerated(c, source, target);
        if (p != null) {
            LOG.warn("{}. {}", p.message(), p.fix());
        }
    }

    /**
     * The source's generated columns that an existing target table has as plain columns, or null.
     */
    static Problem plainGenerated(Connection c, TableSchema source, TableId target)
            throws SQLException {
        List<Column> generated = source.columns().stream().filter(Column::generated).toList();
        if (generated.isEmpty()) {
            return null;
        }
        Set<String> generatedThere = generatedColumns(c, SqlText.quote(target));
        List<Column> plain = new ArrayList<>();
        for (Column column : generated) {
            if (!generatedThere.contains(column.name())) {
                plain.add(column);
            }
        }
        if (plain.isEmpty()) {
            return null;
        }
        return new Problem(
                ErrorCode.SCHEMA_MISMATCH,
                "Columns "
                        + plain.stream().map(Column::name).toList()
                        + " of target table "
                        + target
                        + " are plain columns, but generated (GENERATED ALWAYS AS ... STORED) at"
                        + " source table "
                        + source.id()
                        + ": the snapshot copies their values, but changes streamed from"
                        + " PostgreSQL before 18 do not carry generated columns, so rows inserted"
                        + " while streaming get NULL in them and updated rows keep their old values",
                "To have the target compute them, run: "
                        + plain.stream()
                                .map(
                                        col ->
                                                "ALTER TABLE "
                                                        + SqlText.quote(target)
                                                        + " DROP COLUMN "
                                                        + SqlText.quote(col.name())
                                                        + ", ADD COLUMN "
                                                        + SqlText.quote(col.name())
                                                        + " "
                                                        + (col.nativeType() != null
                                                                ? col.nativeType()
                                                                : PgTypeMapping.toPostgresType(
                                                                        col.type()))
                                                        + " GENERATED ALWAYS AS ("
                                                        + col.generatedExpression()
                                                        + ") STORED;")
                                .collect(Collectors.joining(" ")));
    }

    /**
     * The names of a table's stored generated columns.
     *
     * @param relation the table's quoted name
     */
    static Set<String> generatedColumns(Connection c, String relation) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = ?::regclass"
                                + " AND attnum > 0 AND NOT attisdropped AND attgenerated <> ''")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String createTable(
            Connection c, TableSchema source, TableId target, TypeChoice choice, boolean generated)
            throws SQLException {
        List<String> parts = new ArrayList<>();
        for (Column column : source.columns()) {
            parts.add(
                    SqlText.quote(column.name())
                            + " "
                            + columnType(c, column, target, choice)
                            + (generated && column.generated()
                                    ? " GENERATED ALWAYS AS ("
                                            + column.generatedExpression()
                                            + ") STORED"
                                    : "")
                            + (column.nullable() ? "" : " NOT NULL"));
        }
        if (source.hasPrimaryKey()) {
            parts.add("PRIMARY KEY (" + SqlText.quoteAll(source.primaryKey()) + ")");
        }
        return "CREATE TABLE " + SqlText.quote(target) + " (" + String.join(", ", parts) + ")";
    }

    /**
     * The type a column is created with here: the user's override, else its native type when asked
     * for and that type exists (an enum type is created first, with the source's labels), else the
     * portable mapping.
     */
    static String columnType(Connection c, Column column, TableId target, TypeChoice choice)
            throws SQLException {
        String override = choice.override(column);
        if (override != null) {
            return override;
        }
        if (!choice.nativeType().test(column) || column.nativeType() == null) {
            return PgTypeMapping.toPostgresType(column.type());
        }
        DataType type = column.type();
        if (type instanceof DataType.ArrayType a) {
            type = a.element();
        }
        if (type instanceof DataType.EnumType e && e.name() != null) {
            ensureEnum(c, e);
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_catalog.to_regtype(?) IS NOT NULL")) {
            ps.setString(1, column.nativeType());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return column.nativeType();
                }
            }
        }
        String portable = PgTypeMapping.toPostgresType(column.type());
        LOG.warn(
                "Column {} of {} is created as {} because type {} does not exist at the target;"
                        + " create that type first to keep it",
                column.name(),
                target,
                portable,
                column.nativeType());
        return portable;
    }

    /** Creates an enum type with the source's labels, or checks that the existing one has them. */
    private static void ensureEnum(Connection c, DataType.EnumType e) throws SQLException {
        TableId name = TableId.parse(e.name(), "public");
        List<String> labels = null;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT ARRAY(SELECT l.enumlabel FROM pg_catalog.pg_enum l"
                                + " WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder)"
                                + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n"
                                + " ON n.oid = t.typnamespace"
                                + " WHERE t.typtype = 'e' AND n.nspname = ? AND t.typname = ?")) {
            ps.setString(1, name.schema());
            ps.setString(2, name.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    labels = Arrays.asList((String[]) rs.getArray(1).getArray());
                }
            }
        }
        if (labels == null) {
            execute(c, "CREATE SCHEMA IF NOT EXISTS " + SqlText.quote(name.schema()));
            execute(
                    c,
                    "CREATE TYPE "
                            + SqlText.quote(name)
                            + " AS ENUM ("
                            + e.values().stream()
                                    .map(SqlText::literal)
                                    .collect(Collectors.joining(", "))
                            + ")");
            LOG.info("Created enum type {}", name);
            return;
        }
        List<String> existing = labels;
        List<String> missing = e.values().stream().filter(v -> !existing.contains(v)).toList();
        if (!missing.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Enum type "
                            + name
                            + " at the target lacks the labels "
                            + missing
                            + ". Run: "
                            + missing.stream()
                                    .map(
                                            v ->
                                                    "ALTER TYPE "
                                                            + SqlText.quote(name)
                                                            + " ADD VALUE "
                                                            + SqlText.literal(v)
                                                            + ";")
                                    .collect(Collectors.joining(" ")));
        }
    }

    private static Problem missingColumns(
            TableSchema source, TableSchema current, TypeChoice choice) {
        Set<String> present = new HashSet<>(current.columnNames());
        List<Column> missing =
                source.columns().stream().filter(col -> !present.contains(col.name())).toList();
        if (missing.isEmpty()) {
            return null;
        }
        String fix =
                missing.stream()
                        .map(
                                col ->
                                        "ALTER TABLE "
                                                + SqlText.quote(current.id())
                                                + " ADD COLUMN "
                                                + SqlText.quote(col.name())
                                                + " "
                                                + choice.declared(col)
                                                + ";")
                        .collect(Collectors.joining(" "));
        return new Problem(
                ErrorCode.SCHEMA_MISMATCH,
                "Table "
                        + current.id()
                        + " at the target lacks the columns "
                        + missing.stream().map(Column::name).toList()
                        + " of source table "
                        + source.id(),
                "Run: " + fix);
    }

    /** Upserts need a unique, non-partial index on exactly the source's key columns. */
    private static Problem missingKey(
            Connection c, CatalogTable existing, TableSchema source, TableId target)
            throws SQLException {
        Set<String> key = new HashSet<>(source.primaryKey());
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a"
                                + " WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey))"
                                + " FROM pg_catalog.pg_index i WHERE i.indrelid = ?::oid"
                                + " AND i.indisunique AND i.indpred IS NULL"
                                + " AND i.indexprs IS NULL")) {
            ps.setLong(1, existing.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> columns =
                            new HashSet<>(Arrays.asList((String[]) rs.getArray(1).getArray()));
                    if (columns.equals(key)) {
                        return null;
                    }
                }
            }
        }
        return new Problem(
                ErrorCode.SCHEMA_MISMATCH,
                "Table "
                        + target
                        + " at the target has no primary key or unique index on "
                        + source.primaryKey()
                        + ", the key of source table "
                        + source.id()
                        + ", which upserts need",
                "Run: ALTER TABLE "
                        + SqlText.quote(target)
                        + " ADD PRIMARY KEY ("
                        + SqlText.quoteAll(source.primaryKey())
                        + ");");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
