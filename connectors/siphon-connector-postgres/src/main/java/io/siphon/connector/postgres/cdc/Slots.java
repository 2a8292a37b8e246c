package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.connector.postgres.SqlText;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What {@code pg_replication_slots} says about a slot, and the error when its position is gone. */
final class Slots {

    private static final String SLOT =
            "SELECT s.plugin, s.database, s.active_pid, s.confirmed_flush_lsn::text, s.wal_status"
                    + " FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = ?";

    /** What happened to a slot that was dropped. */
    static final String GONE = "no longer exists";

    /** What happened to a slot the server invalidated. */
    static final String INVALIDATED =
            "was invalidated by the server (it fell further behind than max_slot_wal_keep_size"
                    + " allows, or its WAL was removed)";

    private Slots() {}

    /**
     * A replication slot.
     *
     * @param name its name
     * @param plugin its output plugin, null for a physical slot
     * @param database the database it decodes, null for a physical slot
     * @param activePid the server process streaming from it, or 0
     * @param confirmedFlush the position up to which a consumer confirmed changes; null when none
     *     was ever confirmed and the slot is not logical
     * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
     */
    record Slot(
            String name,
            String plugin,
            String database,
            int activePid,
            PgLsn confirmedFlush,
            String walStatus) {

        /** Whether the server removed WAL the slot still needed: its changes are gone. */
        boolean lost() {
            return "lost".equals(walStatus);
        }
    }

    /** The slot, or null when there is none of that name. */
    static Slot find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SLOT)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String flush = rs.getString(4);
                return new Slot(
                        name,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3),
                        flush == null ? null : PgLsn.parse(flush),
                        rs.getString(5));
            }
        }
    }

    /**
     * The error for a pipeline whose slot cannot stream from {@code position} any more.
     *
     * @param what what happened to the slot: "no longer exists", "was invalidated by the server"
     */
    static SiphonException positionLost(
            String slot, String pipeline, PgLsn position, String what, Throwable cause) {
        return new SiphonException(
                ErrorCode.POSITION_LOST,
                "Replication slot "
                        + slot
                        + " of pipeline "
                        + pipeline
                        + " "
                        + what
                        + ", so changes after "
                        + position
                        + " are gone; run `siphon run --resnapshot` to copy the tables again",
                cause);
    }

    /**
     * Opens a replication connection, telling a user without the {@code REPLICATION} attribute how
     * to get it.
     *
     * @throws SiphonException {@link ErrorCode#PERMISSION_DENIED} with the {@code ALTER ROLE} to
     *     run, or what {@link PostgresEndpoint#connectForReplication} throws
     */
    static Connection connect(PostgresEndpoint endpoint) {
        try {
            return endpoint.connectForReplication();
        } catch (SiphonException e) {
            if (e.code() != ErrorCode.PERMISSION_DENIED) {
                throw e;
            }
            throw new SiphonException(
                    ErrorCode.PERMISSION_DENIED,
                    "User "
                            + endpoint.user()
                            + " may not open a replication connection to "
                            + endpoint.address()
                            + ", which change data capture needs. Run: ALTER ROLE "
                            + SqlText.quote(String.valueOf(endpoint.user()))
                            + " WITH REPLICATION;",
                    e);
        }
    }

    /**
     * After a stream broke: {@link ErrorCode#POSITION_LOST} when a new connection finds the slot
     * gone or invalidated; null when the slot is fine or the server cannot be asked (then the
     * connection is what broke).
     */
    static SiphonException lostPosition(
            PostgresEndpoint endpoint,
            String slot,
            String pipeline,
            PgLsn position,
            SQLException cause) {
        Connection c;
        try {
            c = endpoint.connect();
        } catch (SiphonException e) {
            return null;
        }
        try {
            Slot s = find(c, slot);
            if (s == null) {
                return positionLost(slot, pipeline, position, GONE, cause);
            }
            if (s.lost()) {
                return positionLost(slot, pipeline, position, INVALIDATED, cause);
            }
            return null;
        } catch (SQLException e) {
            return null;
        } finally {
            PostgresEndpoint.closeQuietly(c);
        }
    }
}
