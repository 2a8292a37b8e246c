package io.siphon.connector.mysql.sink;

import io.siphon.connector.support.change.AppliedLedger;
import io.siphon.model.ChangeOrder;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a pipeline has committed at the target, kept at the target in the database {@code siphon}
 * (MySQL's databases are PostgreSQL's schemas) and written in the writer's transaction, so that it
 * is committed exactly when the rows are. The same two tables as the PostgreSQL sink keeps:
 *
 * <ul>
 *   <li>{@code siphon.applied_position}: per pipeline and target table, the place ({@link
 *       ChangeOrder}) of the last change applied. A replay skips the changes at or before it.
 *   <li>{@code siphon.applied_chunk}: per pipeline, snapshot and chunk, that the chunk's rows are
 *       all written, with how many. A resumed snapshot does not write such a chunk again.
 * </ul>
 *
 * Both are InnoDB tables, so they commit and roll back with the rows. The first writer of a target
 * creates them ({@code IF NOT EXISTS}, which concurrent writers may run together). {@link
 * AppliedLedger} reads and writes them with {@link #SQL}.
 */
final class MySqlLedger {

    private static final String[] CREATE = {
        "CREATE DATABASE IF NOT EXISTS siphon CHARACTER SET utf8mb4",
        // Names are case-sensitive, as the tables they name may be.
        "CREATE TABLE IF NOT EXISTS siphon.applied_position ("
                + " pipeline VARCHAR(191) NOT NULL,"
                + " target_table VARCHAR(500) NOT NULL,"
                + " commit_position BIGINT NOT NULL,"
                + " change_index BIGINT NOT NULL,"
                + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (pipeline, target_table))"
                + " ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        "CREATE TABLE IF NOT EXISTS siphon.applied_chunk ("
                + " pipeline VARCHAR(191) NOT NULL,"
                + " snapshot VARCHAR(191) NOT NULL,"
                + " chunk VARCHAR(191) NOT NULL,"
                + " target_table VARCHAR(500) NOT NULL,"
                + " `rows` BIGINT NOT NULL,"
                + " committed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (pipeline, snapshot, chunk))"
                + " ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    };

    /** MySQL's forms of the ledger's statements. */
    static final AppliedLedger.Sql SQL =
            new AppliedLedger.Sql(
                    "SELECT COUNT(*) = 2 FROM information_schema.TABLES WHERE TABLE_SCHEMA ="
                            + " 'siphon' AND TABLE_NAME IN ('applied_position',"
                            + " 'applied_chunk')",
                    "INSERT INTO siphon.applied_position (pipeline, target_table,"
                            + " commit_position, change_index) VALUES (?, ?, ?, ?)"
                            + " ON DUPLICATE KEY UPDATE"
                            + " commit_position = VALUES(commit_position),"
                            + " change_index = VALUES(change_index),"
                            + " updated_at = CURRENT_TIMESTAMP(6)",
                    "`rows`");

    private MySqlLedger() {}

    /**
     * Creates the ledger's tables when missing, over a writer's connection (DDL commits by itself
     * in MySQL, so this happens before the writer's first transaction).
     *
     * @throws SiphonException {@link ErrorCode#PERMISSION_DENIED} when they are missing and the
     *     user may not create them, saying what to grant
     */
    static void create(Connection connection, String address, String user) throws SQLException {
        try {
            if (!AppliedLedger.tablesExist(connection, SQL)) {
                try (Statement s = connection.createStatement()) {
                    for (String sql : CREATE) {
                        s.execute(sql);
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
                throw new SiphonException(
                        ErrorCode.PERMISSION_DENIED,
                        "the sink user may not create the database siphon on "
                                + address
                                + ", where Siphon records what it has applied; have an"
                                + " administrator run: CREATE DATABASE siphon; GRANT SELECT,"
                                + " INSERT, UPDATE, DELETE, CREATE ON siphon.* TO '"
                                + user
                                + "'",
                        e);
            }
            throw e;
        }
    }

    /**
     * Deletes a pipeline's rows from both tables in one transaction, over an auto-commit
     * connection; returns how many went. Nothing when the tables were never created.
     */
    static long forget(Connection connection, String pipeline) throws SQLException {
        return AppliedLedger.forget(connection, pipeline, SQL);
    }
}
