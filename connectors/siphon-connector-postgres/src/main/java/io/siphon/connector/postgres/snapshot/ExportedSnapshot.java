package io.siphon.connector.postgres.snapshot;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.spi.ReadPoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read point held by a REPEATABLE READ transaction that exported its snapshot: every split reader
 * that runs {@code SET TRANSACTION SNAPSHOT '<token>'} sees exactly the rows this transaction sees.
 * The snapshot exists only while the transaction is open, so the engine keeps the read point open
 * until every reader has started (in practice, for the whole run).
 */
public final class ExportedSnapshot implements ReadPoint {

    private static final Logger LOG = LoggerFactory.getLogger(ExportedSnapshot.class);

    private final Connection connection;
    private final String snapshotId;

    private ExportedSnapshot(Connection connection, String snapshotId) {
        this.connection = connection;
        this.snapshotId = snapshotId;
    }

    /**
     * Opens a dedicated connection, starts the transaction and exports its snapshot.
     *
     * @throws io.siphon.spi.SiphonException when the server cannot be reached or refuses
     */
    public static ExportedSnapshot open(PostgresEndpoint endpoint) {
        Connection c = endpoint.connect();
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            // The transaction idles while readers work; a server-wide idle timeout must not end it.
            s.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            try (ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                rs.next();
                String id = rs.getString(1);
                LOG.info("Exported snapshot {} on {}", id, endpoint.address());
                return new ExportedSnapshot(c, id);
            }
        } catch (SQLException e) {
            PostgresEndpoint.closeQuietly(c);
            throw PostgresErrors.translate(e, "exporting a snapshot on " + endpoint.address());
        }
    }

    /** The exported snapshot's id, for {@code SET TRANSACTION SNAPSHOT}. */
    @Override
    public String token() {
        return snapshotId;
    }

    /** Ends the exporting transaction; readers that have not started yet can no longer start. */
    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // Closing the connection below ends the transaction anyway.
        }
        PostgresEndpoint.closeQuietly(connection);
    }
}
