package io.siphon.connector.postgres.sink;

import io.siphon.connector.support.change.AppliedLedger;
import io.siphon.model.ChangeOrder;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a pipeline has committed at the target, kept at the target in the {@code siphon} schema and
 * written in the writer's transaction, so that it is committed exactly when the rows are:
 *
 * <ul>
 *   <li>{@code siphon.applied_position}: per pipeline and target table, the place ({@link
 *       ChangeOrder}) of the last change applied. A replay skips the changes at or before it.
 *   <li>{@code siphon.applied_chunk}: per pipeline, snapshot and chunk, that the chunk's rows are
 *       all written, with how many. A resumed snapshot does not write such a chunk again.
 * </ul>
 *
 * The first writer of a target creates the schema and the tables (under an advisory lock, so
 * parallel writers do not race). {@link AppliedLedger} reads and writes them with {@link #SQL}.
 */
final class TargetLedger {

    private static final String CREATE =
            """
            CREATE SCHEMA IF NOT EXISTS siphon;
            CREATE TABLE IF NOT EXISTS siphon.applied_position (
                pipeline text NOT NULL,
                target_table text NOT NULL,
                commit_position bigint NOT NULL,
                change_index bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pipeline, target_table));
            CREATE TABLE IF NOT EXISTS siphon.applied_chunk (
                pipeline text NOT NULL,
                snapshot text NOT NULL,
                chunk text NOT NULL,
                target_table text NOT NULL,
                rows bigint NOT NULL,
                committed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pipeline, snapshot, chunk));
            """;

    /** An arbitrary constant: the advisory lock key under which the ledger is created. */
    private static final long CREATE_LOCK = 0x5369_7068_6f6e_4c64L;

    /** PostgreSQL's forms of the ledger's statements. */
    static final AppliedLedger.Sql SQL =
            new AppliedLedger.Sql(
                    "SELECT to_regclass('siphon.applied_position') IS NOT NULL AND"
                            + " to_regclass('siphon.applied_chunk') IS NOT NULL",
                    "INSERT INTO siphon.applied_position AS p (pipeline, target_table,"
                            + " commit_position, change_index) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (pipeline, target_table) DO UPDATE SET"
                            + " commit_position = EXCLUDED.commit_position,"
                            + " change_index = EXCLUDED.change_index, updated_at = now()",
                    "rows");

    private TargetLedger() {}

    /**
     * Creates the ledger's tables when missing, over a writer's connection (not in a transaction
     * yet), and commits that at once.
     *
     * @throws SiphonException {@link ErrorCode#PERMISSION_DENIED} when they are missing and the
     *     user may not create them, saying what to grant
     */
    static void create(Connection connection, String address) throws SQLException {
        try {
            if (!AppliedLedger.tablesExist(connection, SQL)) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                    s.execute(CREATE);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if ("42501".equals(e.getSQLState())) {
                throw new SiphonException(
                        ErrorCode.PERMISSION_DENIED,
                        "the sink user may not create the schema siphon on "
                                + address
                                + ", where Siphon records what it has applied; grant CREATE on"
                                + " the database, or have an administrator create it: CREATE"
                                + " SCHEMA siphon AUTHORIZATION <sink user>",
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
