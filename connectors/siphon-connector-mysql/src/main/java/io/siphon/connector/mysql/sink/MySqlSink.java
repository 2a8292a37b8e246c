package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.MySqlConnector;
import io.siphon.connector.mysql.MySqlConnectorFactory;
import io.siphon.connector.mysql.MySqlErrors;
import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.catalog.MySqlCatalog;
import io.siphon.connector.support.schema.TypeWidening;
import io.siphon.model.Column;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side: creates target databases and tables (with the source's native types when the
 * source is MySQL too, else through the family's write mapping) and opens {@link MySqlSinkWriter}s.
 */
public final class MySqlSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(MySqlSink.class);

    private final MySqlConnector connector;
    private final ColumnTypes columnTypes;

    /**
     * The sink of a connector.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a malformed {@code
     *     column-types} entry
     */
    public MySqlSink(MySqlConnector connector) {
        this.connector = connector;
        this.columnTypes = ColumnTypes.of(connector.config());
    }

    /**
     * Creates the database and table when missing; otherwise checks that every source column
     * exists, that none is narrower than the source's, and that the source's key has a unique index
     * to upsert on.
     */
    @Override
    public PreparedTable prepareTable(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = MySqlConnectorFactory.TYPE.equals(sourceType);
        try {
            return prepare(connector.connection(), columns(), source, target, nativeTypes);
        } catch (SQLException e) {
            throw MySqlErrors.translate(
                    e, "preparing target table " + target, ErrorCode.SINK_WRITE_FAILED);
        }
    }

    /**
     * Creates or checks a target table as {@link #prepareTable} describes, on any auto-commit
     * connection (the writer uses its own for tables created at the source while streaming).
     */
    static PreparedTable prepare(
            Connection c,
            TargetColumns columns,
            TableSchema source,
            TableId target,
            boolean nativeTypes)
            throws SQLException {
        TableSchema prepared = source.withId(target);
        TableSchema existing = MySqlCatalog.describe(c, target, columns.types());
        if (existing == null) {
            execute(
                    c,
                    "CREATE DATABASE IF NOT EXISTS "
                            + SqlText.quote(target.schema())
                            + " CHARACTER SET utf8mb4");
            execute(c, columns.createTable(source, target, nativeTypes));
            LOG.info("Created table {} for {}", target, source.id());
            return new PreparedTable(prepared, true, true);
        }
        List<Problem> problems = shapeProblems(c, columns, existing, source, nativeTypes);
        Problem.throwAll("target table " + target, problems);
        boolean empty;
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT EXISTS (SELECT 1 FROM " + SqlText.quote(target) + ")")) {
            rs.next();
            empty = !rs.getBoolean(1);
        }
        return new PreparedTable(prepared, false, empty);
    }

    @Override
    public List<Problem> checkTable(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = MySqlConnectorFactory.TYPE.equals(sourceType);
        try {
            Connection c = connector.connection();
            TableSchema existing = MySqlCatalog.describe(c, target, connector.types());
            return existing == null
                    ? List.of()
                    : shapeProblems(c, columns(), existing, source, nativeTypes);
        } catch (SQLException e) {
            SiphonException ex =
                    MySqlErrors.translate(
                            e, "checking target table " + target, ErrorCode.SINK_WRITE_FAILED);
            return List.of(new Problem(ex.code(), ex.getMessage(), "Fix it and validate again"));
        }
    }

    /**
     * The statements {@link #prepareTable} would run for a missing table: the database, when it is
     * missing too, and the {@code CREATE TABLE}. Nothing is run.
     */
    @Override
    public List<String> plannedStatements(TableSchema source, TableId target, String sourceType) {
        boolean nativeTypes = MySqlConnectorFactory.TYPE.equals(sourceType);
        try {
            Connection c = connector.connection();
            if (MySqlCatalog.describe(c, target, connector.types()) != null) {
                return List.of();
            }
            List<String> statements = new ArrayList<>();
            if (!databaseExists(c, target.schema())) {
                statements.add(
                        "CREATE DATABASE IF NOT EXISTS "
                                + SqlText.quote(target.schema())
                                + " CHARACTER SET utf8mb4");
            }
            statements.add(columns().createTable(source, target, nativeTypes));
            return statements;
        } catch (SQLException e) {
            throw MySqlErrors.translate(
                    e, "planning target table " + target, ErrorCode.SINK_WRITE_FAILED);
        }
    }

    private static boolean databaseExists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The first time it is asked, whether the server refuses {@code LOAD DATA LOCAL} ({@link
     * BulkLoad}), so that empty tables get slower inserts. Generated columns of the source become
     * plain columns here: the snapshot copies their values, but a change stream that does not carry
     * them leaves them stale.
     */
    @Override
    public List<Problem> tableWarnings(TableSchema source, TableId target, String sourceType) {
        List<Problem> warnings = new ArrayList<>();
        try {
            Problem bulk =
                    connector
                            .bulkLoad()
                            .warning(connector.connection(), connector.endpoint().address());
            if (bulk != null) {
                warnings.add(bulk);
            }
        } catch (SQLException e) {
            SiphonException ex =
                    MySqlErrors.translate(
                            e, "reading local_infile at " + connector.endpoint().address());
            warnings.add(new Problem(ex.code(), ex.getMessage(), "Fix it and validate again"));
        }
        List<String> generated =
                source.columns().stream().filter(Column::generated).map(Column::name).toList();
        if (generated.isEmpty()) {
            return warnings;
        }
        warnings.add(
                new Problem(
                        ErrorCode.SCHEMA_MISMATCH,
                        "Target table "
                                + target
                                + " gets plain columns "
                                + generated
                                + " where source table "
                                + source.id()
                                + " computes them",
                        "If the source's change stream does not carry them, add them at the"
                                + " target as generated columns yourself"));
        return warnings;
    }

    /** Missing columns, narrower columns and a missing key of an existing target table. */
    private static List<Problem> shapeProblems(
            Connection c,
            TargetColumns columns,
            TableSchema current,
            TableSchema source,
            boolean nativeTypes)
            throws SQLException {
        List<Problem> problems = new ArrayList<>();
        Set<String> present = new HashSet<>(current.columnNames());
        List<Column> missing =
                source.columns().stream().filter(col -> !present.contains(col.name())).toList();
        if (!missing.isEmpty()) {
            problems.add(
                    new Problem(
                            ErrorCode.SCHEMA_MISMATCH,
                            "Table "
                                    + current.id()
                                    + " at the target lacks the columns "
                                    + missing.stream().map(Column::name).toList()
                                    + " of source table "
                                    + source.id(),
                            "Run: "
                                    + missing.stream()
                                            .map(
                                                    col ->
                                                            "ALTER TABLE "
                                                                    + SqlText.quote(current.id())
                                                                    + " ADD COLUMN "
                                                                    + columns.definition(
                                                                            current.id(),
                                                                            col,
                                                                            false,
                                                                            nativeTypes)
                                                                    + ";")
                                            .collect(Collectors.joining(" "))));
        }
        for (Column column : source.columns()) {
            int at = current.indexOf(column.name());
            if (at < 0) {
                continue;
            }
            Column there = current.columns().get(at);
            Column wanted = columns.asCreated(current.id(), column, false, nativeTypes);
            if (!there.type().equals(wanted.type())
                    && TypeWidening.widens(there.type(), wanted.type())) {
                problems.add(
                        new Problem(
                                ErrorCode.SCHEMA_MISMATCH,
                                "Column "
                                        + column.name()
                                        + " of target table "
                                        + current.id()
                                        + " is "
                                        + there.nativeType()
                                        + ", narrower than "
                                        + wanted.nativeType()
                                        + " that source table "
                                        + source.id()
                                        + " needs, so a value may not fit",
                                "Run: ALTER TABLE "
                                        + SqlText.quote(current.id())
                                        + " MODIFY COLUMN "
                                        + columns.definition(
                                                current.id(),
                                                column,
                                                source.primaryKey().contains(column.name()),
                                                nativeTypes)
                                        + ";"));
            }
        }
        if (source.hasPrimaryKey()
                && !MySqlCatalog.uniqueIndexes(c, current.id()).values().stream()
                        .anyMatch(
                                index ->
                                        new HashSet<>(index)
                                                .equals(Set.copyOf(source.primaryKey())))) {
            problems.add(
                    new Problem(
                            ErrorCode.SCHEMA_MISMATCH,
                            "Table "
                                    + current.id()
                                    + " at the target has no primary key or unique index on "
                                    + source.primaryKey()
                                    + ", the key of source table "
                                    + source.id()
                                    + ", which upserts need",
                            "Run: ALTER TABLE "
                                    + SqlText.quote(current.id())
                                    + " ADD PRIMARY KEY ("
                                    + SqlText.quoteAll(source.primaryKey())
                                    + ");"));
        }
        return problems;
    }

    @Override
    public SinkWriter openWriter() {
        return new MySqlSinkWriter(
                connector.endpoint(),
                columns(),
                connector.config().get(MySqlOptions.BATCH_ROWS),
                connector.bulkLoad(),
                null);
    }

    /**
     * Opens an exactly-once writer: it keeps the pipeline's {@link MySqlLedger} in the database
     * {@code siphon} at the target, creating it when missing.
     */
    @Override
    public SinkWriter openWriter(String pipeline) {
        return new MySqlSinkWriter(
                connector.endpoint(),
                columns(),
                connector.config().get(MySqlOptions.BATCH_ROWS),
                connector.bulkLoad(),
                pipeline);
    }

    /**
     * Deletes the pipeline's rows from {@code siphon.applied_position} and {@code
     * siphon.applied_chunk} in one transaction; nothing when the database {@code siphon} was never
     * created.
     */
    @Override
    public long forgetPipeline(String pipeline) {
        try {
            return MySqlLedger.forget(connector.connection(), pipeline);
        } catch (SQLException e) {
            throw MySqlErrors.translate(
                    e,
                    "removing what pipeline "
                            + pipeline
                            + " applied from the database siphon at "
                            + connector.endpoint().address(),
                    ErrorCode.SINK_WRITE_FAILED);
        }
    }

    private TargetColumns columns() {
        return new TargetColumns(connector.types(), columnTypes);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
