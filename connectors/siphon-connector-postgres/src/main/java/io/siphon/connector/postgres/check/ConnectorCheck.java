package io.siphon.connector.postgres.check;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.connector.postgres.SqlText;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.TablePattern;
import io.siphon.spi.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code siphon validate} checks on a PostgreSQL server: that it can be reached and accepts
 * the credentials, then what the side needs. As a source: the tables exist and the user may read
 * them; as a streaming source also what change data capture needs ({@link StreamCheck}). As a sink:
 * the server accepts writes, the user may create tables in the target schemas, use temporary tables
 * (for upserts) and write to the target tables that exist. Every problem comes with the statement
 * or setting that fixes it.
 */
public final class ConnectorCheck {

    private static final String PRIVILEGES =
            "SELECT n.nspname, c.relname, pg_catalog.has_schema_privilege(n.oid, 'USAGE'),"
                    + " pg_catalog.has_table_privilege(c.oid, 'SELECT'),"
                    + " pg_catalog.has_table_privilege(c.oid, 'INSERT'),"
                    + " pg_catalog.has_table_privilege(c.oid, 'UPDATE')"
                    + " FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    + " AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
                    + " ORDER BY n.nspname, c.relname";

    private ConnectorCheck() {}

    /**
     * Runs the checks for one side.
     *
     * @param tables the source tables to read, or the target tables to write; may be null for a
     *     sink whose tables are not known yet
     */
    public static List<Problem> run(PostgresConnector connector, Usage usage, TableFilter tables) {
        Connection c;
        try {
            c = connector.connection();
        } catch (SiphonException e) {
            if (e.getCause() instanceof SQLException sql) {
                return List.of(PostgresErrors.connectProblem(sql, connector.endpoint()));
            }
            return List.of(new Problem(e.code(), e.getMessage(), "Check 'url'"));
        }
        try {
            String user = single(c, "SELECT current_user");
            List<TableAccess> all = tableAccess(c);
            String defaultSchema = connector.config().get(PostgresOptions.DEFAULT_SCHEMA);
            return switch (usage) {
                case SOURCE -> sourceProblems(all, notTables(c), tables, defaultSchema, user);
                case STREAM_SOURCE -> {
                    List<Problem> problems =
                            sourceProblems(all, notTables(c), tables, defaultSchema, user);
                    Set<TableId> streamed = new LinkedHashSet<>();
                    for (TableAccess t : all) {
                        if (tables != null && tables.matches(t.id(), defaultSchema)) {
                            streamed.add(t.id());
                        }
                    }
                    problems.addAll(StreamCheck.problems(c, connector, streamed, user));
                    yield problems;
                }
                case SINK -> sinkProblems(c, connector, all, tables, user);
            };
        } catch (SQLException e) {
            SiphonException ex = PostgresErrors.translate(e, "checking the server");
            return List.of(
                    new Problem(ex.code(), ex.getMessage(), "Fix the error above and check again"));
        }
    }

    private record TableAccess(
            TableId id, boolean usage, boolean select, boolean insert, boolean update) {}

    /** Up to ten table names, for a hint. */
    private static String some(List<String> existing) {
        return existing.isEmpty()
                ? "no tables"
                : "the tables " + existing.subList(0, Math.min(10, existing.size()));
    }

    private static List<TableAccess> tableAccess(Connection c) throws SQLException {
        List<TableAccess> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(PRIVILEGES)) {
            while (rs.next()) {
                out.add(
                        new TableAccess(
                                TableId.of(rs.getString(1), rs.getString(2)),
                                rs.getBoolean(3),
                                rs.getBoolean(4),
                                rs.getBoolean(5),
                                rs.getBoolean(6)));
            }
        }
        return out;
    }

    /**
     * Relations that are not tables Siphon takes, with what each is and what to name instead:
     * views, materialized views, foreign tables, and partitions (whose rows travel as their
     * parent's).
     */
    private static Map<TableId, String> notTables(Connection c) throws SQLException {
        Map<TableId, String> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT n.nspname, c.relname, c.relkind, c.relispartition,"
                                        + " pn.nspname, p.relname FROM pg_catalog.pg_class c JOIN"
                                        + " pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                        + " LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid ="
                                        + " c.oid AND c.relispartition LEFT JOIN"
                                        + " pg_catalog.pg_class p ON p.oid = i.inhparent LEFT JOIN"
                                        + " pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
                                        + " WHERE c.relkind IN ('v', 'm', 'f') OR"
                                        + " c.relispartition")) {
            while (rs.next()) {
                TableId id = TableId.of(rs.getString(1), rs.getString(2));
                String what =
                        rs.getBoolean(4)
                                ? "is a partition of "
                                        + TableId.of(rs.getString(5), rs.getString(6))
                                        + ": Siphon takes a partitioned table whole (its"
                                        + " partitions' rows and changes travel as its own)."
                                        + " Name "
                                        + TableId.of(rs.getString(5), rs.getString(6))
                                        + " in 'tables' instead"
                                : switch (rs.getString(3)) {
                                    case "v" ->
                                            "is a view, not a table: a view holds no rows of its"
                                                    + " own and PostgreSQL streams no changes of"
                                                    + " it. Name the tables it reads in 'tables'"
                                                    + " instead";
                                    case "m" ->
                                            "is a materialized view, not a table: PostgreSQL"
                                                    + " streams no changes of it. Name the tables"
                                                    + " it is built from in 'tables' instead";
                                    default ->
                                            "is a foreign table: its rows live on another"
                                                    + " server. Point a pipeline at that server"
                                                    + " instead";
                                };
                out.put(id, what);
            }
        }
        return out;
    }

    private static List<Problem> sourceProblems(
            List<TableAccess> all,
            Map<TableId, String> notTables,
            TableFilter filter,
            String defaultSchema,
            String user) {
        List<Problem> problems = new ArrayList<>();
        if (filter == null) {
            return problems;
        }
        List<String> existing = all.stream().map(t -> t.id().toString()).toList();
        for (TablePattern p : filter.include()) {
            Optional<TableId> literal = p.literalTable(defaultSchema);
            if (literal.isPresent()
                    && all.stream().noneMatch(t -> p.matches(t.id(), defaultSchema))) {
                TableId wanted = literal.get();
                String what = notTables.get(wanted);
                if (what != null) {
                    int cut = what.indexOf(". ");
                    problems.add(
                            new Problem(
                                    ErrorCode.TABLE_NOT_FOUND,
                                    wanted + " in 'tables' " + what.substring(0, cut),
                                    what.substring(cut + 2)));
                    continue;
                }
                String hint =
                        NameSuggester.nearest(wanted.toString(), existing)
                                .map(n -> "; did you mean " + n + "?")
                                .orElse("");
                problems.add(
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "Table " + wanted + " does not exist",
                                "Check the name in 'tables' (names are case-sensitive)" + hint));
            } else if (literal.isEmpty()
                    && all.stream().noneMatch(t -> p.matches(t.id(), defaultSchema))) {
                problems.add(
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "Pattern '" + p.text() + "' in 'tables' matches no table",
                                "Check the pattern (each part is a regular expression matched"
                                        + " against the whole name, case-sensitive); the"
                                        + " database has "
                                        + some(existing)));
            }
        }
        for (TablePattern p : filter.exclude()) {
            if (all.stream().noneMatch(t -> p.matches(t.id(), defaultSchema))) {
                String hint =
                        p.literalTable(defaultSchema)
                                .flatMap(t -> NameSuggester.nearest(t.toString(), existing))
                                .map(n -> "did you mean " + n + "? ")
                                .orElse("");
                problems.add(
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "Pattern '"
                                        + p.text()
                                        + "' in 'exclude-tables' matches no table, so it leaves"
                                        + " nothing out",
                                hint
                                        + "Check the name (case-sensitive), or remove it; the"
                                        + " database has "
                                        + some(existing)));
            }
        }
        List<TableAccess> matching =
                all.stream().filter(t -> filter.matches(t.id(), defaultSchema)).toList();
        if (matching.isEmpty() && problems.isEmpty()) {
            problems.add(
                    new Problem(
                            ErrorCode.TABLE_NOT_FOUND,
                            "No table matches 'tables' "
                                    + filter.include().stream().map(TablePattern::text).toList()
                                    + (filter.exclude().isEmpty()
                                            ? ""
                                            : " minus 'exclude-tables' "
                                                    + filter.exclude().stream()
                                                            .map(TablePattern::text)
                                                            .toList()),
                            "Check the patterns; the database has "
                                    + (existing.isEmpty()
                                            ? "no tables"
                                            : "the tables "
                                                    + existing.subList(
                                                            0, Math.min(10, existing.size())))));
        }
        Set<String> schemasWithoutUsage = new LinkedHashSet<>();
        for (TableAccess t : matching) {
            if (!t.usage()) {
                schemasWithoutUsage.add(t.id().schema());
            } else if (!t.select()) {
                problems.add(
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User " + user + " may not read table " + t.id(),
                                "Run: GRANT SELECT ON TABLE "
                                        + SqlText.quote(t.id())
                                        + " TO "
                                        + SqlText.quote(user)
                                        + ";"));
            }
        }
        for (String schema : schemasWithoutUsage) {
            problems.add(schemaUsageProblem(schema, user, "SELECT"));
        }
        return problems;
    }

    private static Problem schemaUsageProblem(String schema, String user, String tablePrivileges) {
        return new Problem(
                ErrorCode.PERMISSION_DENIED,
                "User " + user + " may not use schema " + TableId.quoteIfNeeded(schema),
                "Run: GRANT USAGE ON SCHEMA "
                        + SqlText.quote(schema)
                        + " TO "
                        + SqlText.quote(user)
                        + "; and GRANT "
                        + tablePrivileges
                        + " on its tables");
    }

    private static List<Problem> sinkProblems(
            Connection c,
            PostgresConnector connector,
            List<TableAccess> all,
            TableFilter filter,
            String user)
            throws SQLException {
        List<Problem> problems = new ArrayList<>();
        String database = single(c, "SELECT current_database()");
        if ("on".equals(single(c, "SELECT current_setting('transaction_read_only')"))) {
            problems.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            "PostgreSQL at "
                                    + connector.endpoint().address()
                                    + " accepts no writes (a standby, or default_transaction_read_only"
                                    + " is on)",
                            "Point 'url' at the primary server, or run: ALTER DATABASE "
                                    + SqlText.quote(database)
                                    + " SET default_transaction_read_only = off;"));
        }
        if (!bool(c, "SELECT has_database_privilege(current_database(), 'TEMPORARY')")) {
            problems.add(
                    new Problem(
                            ErrorCode.PERMISSION_DENIED,
                            "User " + user + " may not create temporary tables, which upserts use",
                            "Run: GRANT TEMPORARY ON DATABASE "
                                    + SqlText.quote(database)
                                    + " TO "
                                    + SqlText.quote(user)
                                    + ";"));
        }
        if (filter == null) {
            return problems;
        }
        // Only tables named literally are targets this side can know; a pattern such as *.* says
        // nothing about where the rows will go.
        String defaultSchema = connector.config().get(PostgresOptions.DEFAULT_SCHEMA);
        Set<String> schemasToCreateIn = new LinkedHashSet<>();
        Set<String> schemasToUse = new LinkedHashSet<>();
        for (TablePattern p : filter.include()) {
            Optional<TableId> literal = p.literalTable(defaultSchema);
            if (literal.isEmpty()) {
                continue;
            }
            TableId target = literal.get();
            Optional<TableAccess> existing =
                    all.stream().filter(t -> t.id().equals(target)).findFirst();
            if (existing.isEmpty()) {
                schemasToCreateIn.add(target.schema());
            } else if (!existing.get().usage()) {
                schemasToUse.add(target.schema());
            } else if (!(existing.get().select()
                    && existing.get().insert()
                    && existing.get().update())) {
                problems.add(
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User " + user + " may not write to table " + target,
                                "Run: GRANT SELECT, INSERT, UPDATE ON TABLE "
                                        + SqlText.quote(target)
                                        + " TO "
                                        + SqlText.quote(user)
                                        + ";"));
            }
        }
        for (String schema : schemasToCreateIn) {
            problems.addAll(schemaProblems(c, schema, database, user));
        }
        for (String schema : schemasToUse) {
            if (!schemasToCreateIn.contains(schema)) {
                problems.add(schemaUsageProblem(schema, user, "SELECT, INSERT, UPDATE"));
            }
        }
        return problems;
    }

    private static List<Problem> schemaProblems(
            Connection c, String schema, String database, String user) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT has_schema_privilege(n.oid, 'CREATE'),"
                                + " has_schema_privilege(n.oid, 'USAGE')"
                                + " FROM pg_catalog.pg_namespace n WHERE n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    if (bool(c, "SELECT has_database_privilege(current_database(), 'CREATE')")) {
                        return List.of();
                    }
                    return List.of(
                            new Problem(
                                    ErrorCode.PERMISSION_DENIED,
                                    "Schema "
                                            + TableId.quoteIfNeeded(schema)
                                            + " does not exist and user "
                                            + user
                                            + " may not create it",
                                    "Run: CREATE SCHEMA "
                                            + SqlText.quote(schema)
                                            + " AUTHORIZATION "
                                            + SqlText.quote(user)
                                            + "; (or GRANT CREATE ON DATABASE "
                                            + SqlText.quote(database)
                                            + " TO "
                                            + SqlText.quote(user)
                                            + ";)"));
                }
                if (rs.getBoolean(1) && rs.getBoolean(2)) {
                    return List.of();
                }
                return List.of(
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User "
                                        + user
                                        + " may not create tables in schema "
                                        + TableId.quoteIfNeeded(schema),
                                "Run: GRANT USAGE, CREATE ON SCHEMA "
                                        + SqlText.quote(schema)
                                        + " TO "
                                        + SqlText.quote(user)
                                        + ";"));
            }
        }
    }

    /** The first column of the first row of a query that always returns one row. */
    static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
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
