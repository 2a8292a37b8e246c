package io.siphon.connector.mysql.binlog;

import io.siphon.model.Offset;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A position in a MySQL or MariaDB binary log: the offset of a binlog change stream. It always lies
 * between transactions (the stream moves its safe position only after a commit), so resuming from
 * it replays no half transaction.
 *
 * <p>The stream resumes by file and position on the server that wrote it ({@code serverId}); on
 * another server (a replica promoted after a failover, whose files are named and numbered
 * differently) it resumes by the GTID set, which names the same transactions on every server of the
 * replication topology.
 *
 * @param file the binary log file, for example {@code mariadb-bin.000003}
 * @param position the byte position in that file of the first event not yet streamed
 * @param gtids the GTID set of every transaction streamed up to here (MariaDB {@code 0-1-42}, MySQL
 *     {@code 3E11FA47-...:1-42}), or null when the server does not use GTIDs
 * @param serverId the {@code server_id} of the server whose file this is
 */
public record BinlogOffset(String file, long position, String gtids, long serverId)
        implements Offset, Comparable<BinlogOffset> {

    /** Checks the file and position. */
    public BinlogOffset {
        Objects.requireNonNull(file, "file");
        if (file.isEmpty() || position < 0) {
            throw new IllegalArgumentException("not a binlog position: " + file + ":" + position);
        }
        if (gtids != null && gtids.isBlank()) {
            gtids = null;
        }
    }

    /** The same offset at another place of the log, with another GTID set. */
    public BinlogOffset at(String newFile, long newPosition, String newGtids) {
        return new BinlogOffset(newFile, newPosition, newGtids, serverId);
    }

    /**
     * The sequence number of the file, the numeric extension the server gives its binary logs
     * ({@code mariadb-bin.000003} is 3), which orders the files of one server.
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} when the name has no numeric extension
     */
    public long fileSequence() {
        return fileSequence(file);
    }

    /** The numeric extension of a binary log file name. */
    static long fileSequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "binary log file " + file + " has no numeric extension (like .000003)");
        }
    }

    /**
     * The offset as one unsigned 64-bit number that grows with the log on one server: the file's
     * sequence number above, the position below (a binary log file is at most 1 GiB).
     */
    public long packed() {
        return packed(file, position);
    }

    /** {@link #packed()} of a file and position. */
    static long packed(String file, long position) {
        return (fileSequence(file) << 32) | position;
    }

    /** Debezium's MySQL {@code source} fields: binlog file, position, GTID set, server id. */
    @Override
    public Map<String, Object> sourceFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("connector", "mysql");
        fields.put("server_id", serverId);
        if (gtids != null) {
            fields.put("gtid", gtids);
        }
        fields.put("file", file);
        fields.put("pos", position);
        return Collections.unmodifiableMap(fields);
    }

    /** {@code mariadb-bin.000003:1234}, with the GTID set after it when there is one. */
    @Override
    public String describe() {
        return file + ":" + position + (gtids == null ? "" : " (GTID " + gtids + ")");
    }

    /** Orders positions of one server's log by file and position. */
    @Override
    public int compareTo(BinlogOffset other) {
        return Long.compareUnsigned(packed(), other.packed());
    }
}
