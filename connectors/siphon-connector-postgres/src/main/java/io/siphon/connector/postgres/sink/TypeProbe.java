package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.catalog.CatalogTable;
import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

/**
 * What a type declaration means here, learnt from PostgreSQL itself: a temporary table with a
 * column of that type, read through the same catalog code as any table and rolled back.
 */
final class TypeProbe {

    private static final String PROBE = "siphon_type_probe";

    private TypeProbe() {}

    /**
     * The portable type a column declared {@code declaration} has here, or null when PostgreSQL
     * does not take it as a type. Leaves the connection as it found it: in an open transaction the
     * probe is rolled back to a savepoint, on an auto-commit connection in a transaction of its
     * own.
     */
    static DataType portableTypeOf(Connection c, String declaration) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        Savepoint savepoint = autoCommit ? null : c.setSavepoint();
        try {
            return probe(c, declaration);
        } finally {
            if (autoCommit) {
                c.rollback();
                c.setAutoCommit(true);
            } else {
                c.rollback(savepoint);
                c.releaseSavepoint(savepoint);
            }
        }
    }

    private static DataType probe(Connection c, String declaration) throws SQLException {
        try {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT pg_catalog.to_regtype(?) IS NOT NULL")) {
                ps.setString(1, declaration);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return null;
                    }
                }
            }
            // to_regtype accepted it as a type name, so it is safe to put into the statement.
            long oid;
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE " + PROBE + " (probe " + declaration + ")");
                try (ResultSet rs =
                        s.executeQuery("SELECT 'pg_temp." + PROBE + "'::regclass::oid")) {
                    rs.next();
                    oid = rs.getLong(1);
                }
            }
            CatalogTable probe = new CatalogTable(oid, TableId.of("pg_temp", PROBE));
            return TableCatalog.describe(c, List.of(probe)).get(0).columns().get(0).type();
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state != null && (state.startsWith("42") || state.startsWith("22"))) {
                // A syntax error or an unknown type: the answer is "not a type here".
                return null;
            }
            throw e;
        }
    }
}
