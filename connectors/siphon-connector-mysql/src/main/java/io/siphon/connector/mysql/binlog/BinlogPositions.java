package io.siphon.connector.mysql.binlog;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the server says about its binary logs: its position now, and the files it still has. */
final class BinlogPositions {

    private BinlogPositions() {}

    /** The server's {@code server_id}. */
    static long serverId(Connection c) throws SQLException {
        return Long.parseLong(BinlogChangeStream.single(c, "SELECT @@server_id"));
    }

    /** Whether the server is MariaDB (GTIDs and some statements differ from MySQL's). */
    static boolean isMariaDb(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductVersion().toLowerCase().contains("mariadb")
                || String.valueOf(BinlogChangeStream.single(c, "SELECT VERSION()"))
                        .toLowerCase()
                        .contains("mariadb");
    }

    /**
     * The position after the last transaction written to the log, with its GTID set. The two are
     * read apart, so they are read until the GTID set is the same before and after the position.
     *
     * @throws SiphonException {@link ErrorCode#SERVER_SETTING} when the binary log is off
     */
    static BinlogOffset current(Connection c, String address) throws SQLException {
        boolean mariaDb = isMariaDb(c);
        long serverId = serverId(c);
        while (true) {
            String before = gtids(c, mariaDb);
            String file;
            long position;
            try (Statement s = c.createStatement();
                    ResultSet rs = status(s)) {
                if (!rs.next()) {
                    throw new SiphonException(
                            ErrorCode.SERVER_SETTING,
                            "The binary log of "
                                    + address
                                    + " is off. Start the server with log-bin (and"
                                    + " binlog_format=ROW, binlog_row_image=FULL,"
                                    + " binlog_row_metadata=FULL) in its configuration file");
                }
                file = rs.getString(1);
                position = rs.getLong(2);
            }
            String after = gtids(c, mariaDb);
            if (java.util.Objects.equals(before, after)) {
                return new BinlogOffset(file, position, after, serverId);
            }
        }
    }

    /** {@code SHOW BINARY LOG STATUS} (MySQL 8.2+), else {@code SHOW MASTER STATUS}. */
    private static ResultSet status(Statement s) throws SQLException {
        try {
            return s.executeQuery("SHOW BINLOG STATUS");
        } catch (SQLException e) {
            return s.executeQuery("SHOW MASTER STATUS");
        }
    }

    /** MariaDB's {@code gtid_binlog_pos}; MySQL's {@code gtid_executed} when GTIDs are on. */
    private static String gtids(Connection c, boolean mariaDb) throws SQLException {
        if (mariaDb) {
            return BinlogChangeStream.single(c, "SELECT @@gtid_binlog_pos");
        }
        if (!"ON".equalsIgnoreCase(BinlogChangeStream.single(c, "SELECT @@gtid_mode"))) {
            return null;
        }
        return BinlogChangeStream.single(c, "SELECT @@gtid_executed").replace("\n", "");
    }

    /** The server's binary log files and their sizes, oldest first. */
    static Map<String, Long> files(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * Checks that the server still has the log at {@code from}.
     *
     * @throws SiphonException {@link ErrorCode#POSITION_LOST} when its file was purged
     */
    static void requireAvailable(
            Connection c, MySqlEndpoint server, String pipeline, BinlogOffset from)
            throws SQLException {
        Map<String, Long> files = files(c);
        Long size = files.get(from.file());
        if (size == null || size < from.position()) {
            String oldest = files.isEmpty() ? "none" : files.keySet().iterator().next();
            throw positionLost(
                    server,
                    pipeline,
                    from,
                    size == null
                            ? "its binary log "
                                    + from.file()
                                    + " is gone (the oldest the server has is "
                                    + oldest
                                    + ")"
                            : "binary log " + from.file() + " is shorter than the position",
                    null);
        }
    }

    /** Bytes of binary log after {@code from}. */
    static long bytesAfter(Connection c, BinlogOffset from) throws SQLException {
        long total = 0;
        boolean after = false;
        for (Map.Entry<String, Long> f : files(c).entrySet()) {
            if (f.getKey().equals(from.file())) {
                after = true;
                total += Math.max(0, f.getValue() - from.position());
            } else if (after) {
                total += f.getValue();
            }
        }
        return total;
    }

    /** The error for a stored position that the server's binary log no longer has. */
    static SiphonException positionLost(
            MySqlEndpoint server,
            String pipeline,
            BinlogOffset from,
            String reason,
            Throwable cause) {
        return new SiphonException(
                ErrorCode.POSITION_LOST,
                "Pipeline "
                        + pipeline
                        + " cannot resume from "
                        + from.describe()
                        + " at "
                        + server.address()
                        + ": "
                        + reason
                        + ". The server purged the log before the pipeline read it (PURGE BINARY"
                        + " LOGS, or binlog_expire_logs_seconds ran out while it was stopped), so"
                        + " the changes in between are lost. Copy the data again: `siphon run"
                        + " <spec> --resnapshot` (it empties the target tables first, so rows"
                        + " deleted meanwhile do not survive); and keep binary logs"
                        + " longer than a pipeline may stay stopped: SET GLOBAL"
                        + " binlog_expire_logs_seconds = 604800;",
                cause);
    }
}
