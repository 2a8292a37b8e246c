package io.siphon.connector.postgres.check;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.cdc.PgStreamSource;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What change data capture needs of a source server beyond what a snapshot needs: PostgreSQL 14 or
 * newer, {@code wal_level = logical}, a user with the {@code REPLICATION} attribute (or a
 * superuser), a free replication slot, a replica identity for every table (so that updates and
 * deletes carry the row's key), and the right to publish the tables.
 */
final class StreamCheck {

    private static final int MIN_VERSION = 140_000;

    private static final String TABLES =
            "SELECT n.nspname, c.relname, c.relreplident, EXISTS (SELECT 1 FROM"
                    + " pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary),"
                    + " pg_catalog.pg_has_role(c.relowner, 'USAGE')"
                    + " FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    + " ORDER BY n.nspname, c.relname";

    private StreamCheck() {}

    /**
     * The problems of streaming the given tables.
     *
     * @param tables the source tables that exist and match the pipeline's filter
     */
    static List<Problem> problems(
            Connection c, PostgresConnector connector, Set<TableId> tables, String user)
            throws SQLException {
        List<Problem> problems = new ArrayList<>();
        String address = connector.endpoint().address();
        int version = Integer.parseInt(ConnectorCheck.single(c, "SHOW server_version_num"));
        if (version < MIN_VERSION) {
            problems.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            "PostgreSQL at "
                                    + address
                                    + " is version "
                                    + ConnectorCheck.single(c, "SHOW server_version")
                                    + ", but change data capture needs 14 or newer",
                            "Upgrade the server, or use mode: snapshot"));
        }
        String walLevel = ConnectorCheck.single(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            "PostgreSQL at "
                                    + address
                                    + " has wal_level = "
                                    + walLevel
                                    + ", but change data capture needs logical",
                            "Run: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL"));
        }
        boolean superuser =
                bool(
                        c,
                        "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname ="
                                + " current_user");
        if (!superuser
                && !bool(
                        c,
                        "SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname ="
                                + " current_user")) {
            problems.add(
                    new Problem(
                            ErrorCode.PERMISSION_DENIED,
                            "User "
                                    + user
                                    + " may not stream changes: it lacks the REPLICATION"
                                    + " attribute",
                            "Run: ALTER ROLE " + SqlText.quote(user) + " WITH REPLICATION;"));
        }
        Problem slots = freeSlotProblem(c, connector, address);
        if (slots != null) {
            problems.add(slots);
        }
        problems.addAll(tableProblems(c, connector, tables, user, superuser));
        return problems;
    }

    /**
     * No free replication slot, unless the pipeline's slot may already exist: the configured {@code
     * slot-name}, or without one any {@code siphon_} slot of this database (the check does not know
     * the pipeline's name).
     */
    private static Problem freeSlotProblem(
            Connection c, PostgresConnector connector, String address) throws SQLException {
        int max = Integer.parseInt(ConnectorCheck.single(c, "SHOW max_replication_slots"));
        int used =
                Integer.parseInt(
                        ConnectorCheck.single(
                                c, "SELECT count(*) FROM pg_catalog.pg_replication_slots"));
        if (used < max) {
            return null;
        }
        String configured = connector.config().get(PostgresOptions.SLOT_NAME);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*) FROM pg_catalog.pg_replication_slots WHERE database ="
                                + " pg_catalog.current_database() AND plugin = 'pgoutput' AND"
                                + " (slot_name = ? OR (? IS NULL AND slot_name LIKE"
                                + " 'siphon\\_%'))")) {
            ps.setString(1, configured);
            ps.setString(2, configured);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return null;
                }
            }
        }
        return new Problem(
                ErrorCode.SERVER_SETTING,
                "PostgreSQL at "
                        + address
                        + " has no free replication slot (max_replication_slots = "
                        + max
                        + ", all in use)",
                "Drop slots no longer used (SELECT pg_drop_replication_slot('<name>');), or run:"
                        + " ALTER SYSTEM SET max_replication_slots = "
                        + (max + 1)
                        + "; then restart PostgreSQL");
    }

    private static List<Problem> tableProblems(
            Connection c,
            PostgresConnector connector,
            Set<TableId> tables,
            String user,
            boolean superuser)
            throws SQLException {
        List<Problem> problems = new ArrayList<>();
        String configured = connector.config().get(PostgresOptions.PUBLICATION_NAME);
        if (configured != null && !publicationExists(c, configured)) {
            problems.add(
                    new Problem(
                            ErrorCode.CONFIG_INVALID_VALUE,
                            "source.publication-name names publication "
                                    + configured
                                    + ", which does not exist (Siphon never creates or changes a"
                                    + " publication named by 'publication-name')",
                            "Let the tables' owner run: "
                                    + PgStreamSource.createPublication(
                                            configured,
                                            List.copyOf(new java.util.TreeSet<>(tables)))
                                    + " or remove 'publication-name' to let Siphon manage its"
                                    + " own"));
        }
        // A publication the user names is never changed by Siphon, so owning the tables is not
        // needed; a table it leaves out is reported (with its ALTER PUBLICATION) as not streamed.
        boolean mayPublishAny = superuser || configured != null;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(TABLES)) {
            while (rs.next()) {
                TableId id = TableId.of(rs.getString(1), rs.getString(2));
                if (!tables.contains(id)) {
                    continue;
                }
                char identity = rs.getString(3).charAt(0);
                boolean primaryKey = rs.getBoolean(4);
                String fix = "Run: ALTER TABLE " + SqlText.quote(id) + " REPLICA IDENTITY FULL;";
                if (identity == 'n') {
                    problems.add(
                            new Problem(
                                    ErrorCode.SERVER_SETTING,
                                    "Table "
                                            + id
                                            + " has REPLICA IDENTITY NOTHING, so PostgreSQL"
                                            + " logs no key for its updates and deletes (and"
                                            + " refuses them once the table is published)",
                                    fix));
                } else if (identity == 'd' && !primaryKey) {
                    problems.add(
                            new Problem(
                                    ErrorCode.SERVER_SETTING,
                                    "Table "
                                            + id
                                            + " has no primary key and REPLICA IDENTITY DEFAULT,"
                                            + " so PostgreSQL logs no key for its updates and"
                                            + " deletes (and refuses them once the table is"
                                            + " published); add a primary key, or log whole"
                                            + " rows",
                                    fix));
                }
                if (!mayPublishAny && !rs.getBoolean(5)) {
                    problems.add(
                            new Problem(
                                    ErrorCode.PERMISSION_DENIED,
                                    "User "
                                            + user
                                            + " does not own table "
                                            + id
                                            + ", which adding it to the pipeline's publication"
                                            + " needs",
                                    "Let the owner or a superuser create the publication (CREATE"
                                            + " PUBLICATION siphon_pub FOR TABLE "
                                            + SqlText.quote(id)
                                            + ", ...;) and set 'publication-name: siphon_pub'"));
                }
            }
        }
        return problems;
    }

    private static boolean publicationExists(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
