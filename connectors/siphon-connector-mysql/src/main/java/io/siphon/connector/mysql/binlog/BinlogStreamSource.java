package io.siphon.connector.mysql.binlog;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.connector.mysql.MySqlErrors;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StreamSource;
import io.siphon.spi.StreamStart;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-data-capture side of the MySQL/MariaDB connector: a pipeline reads the server's binary
 * log as a replica with a {@code server_id} of its own. Nothing is created at the source: the
 * position lives only in the pipeline's state, and the server keeps its binary logs for {@code
 * binlog_expire_logs_seconds} whether or not anyone reads them (so a pipeline stopped for longer
 * loses its position, reported as {@link ErrorCode#POSITION_LOST}).
 *
 * <p>{@link #prepare} and {@link #drop} run on the driver thread; {@link #open} on the stream's
 * reader thread. Each opens its own connections.
 */
public final class BinlogStreamSource implements StreamSource {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogStreamSource.class);

    /** Derived client ids lie in [2^30, 2^31): clear of the small ids people give servers. */
    private static final long CLIENT_ID_BASE = 1L << 30;

    private final MySqlEndpoint server;
    private final BinlogSettings settings;

    /**
     * The streaming side of a connector.
     *
     * @param server the server and its connections
     * @param settings how streams run
     */
    public BinlogStreamSource(MySqlEndpoint server, BinlogSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * The stream's start: the stored position, or the log's current one. No read point is handed
     * over to a snapshot (MySQL cannot export one): the engine reads keyed tables chunk by chunk
     * and replays the stream over them, and copies each table without a key whole between
     * watermarks once the stream runs ({@link BinlogChangeStream#readBetweenWatermarks}).
     */
    @Override
    public StreamStart prepare(
            String pipeline, List<TableSchema> tables, Offset resumeFrom, boolean withSnapshot) {
        BinlogOffset resume = offset(resumeFrom);
        try (Connection c = server.connect()) {
            if (resume != null) {
                if (resume.serverId() == BinlogPositions.serverId(c) || resume.gtids() == null) {
                    BinlogPositions.requireAvailable(c, server, pipeline, resume);
                }
                return new StreamStart(resume, null);
            }
            BinlogOffset start = BinlogPositions.current(c, server.address());
            LOG.info("Stream of pipeline {} starts at {}", pipeline, start.describe());
            return new StreamStart(start, null);
        } catch (SQLException e) {
            throw MySqlErrors.translate(
                    e,
                    "reading the binary log position of "
                            + server.address()
                            + " for pipeline "
                            + pipeline);
        }
    }

    @Override
    public ChangeStream open(
            String pipeline, List<TableSchema> tables, Offset from, Set<TableId> asOfFrom) {
        BinlogOffset start = offset(from);
        if (start == null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "the change stream of pipeline " + pipeline + " was opened without a position");
        }
        return BinlogChangeStream.open(
                server, pipeline, clientId(pipeline), settings, tables, start, asOfFrom);
    }

    /** The binlog client's {@code server_id}: the configured one, or one derived from the name. */
    long clientId(String pipeline) {
        if (settings.clientId() != null) {
            return settings.clientId();
        }
        CRC32 crc = new CRC32();
        crc.update(pipeline.getBytes(StandardCharsets.UTF_8));
        return CLIENT_ID_BASE + (crc.getValue() % CLIENT_ID_BASE);
    }

    /** Nothing to remove: a binlog reader leaves nothing behind at the server. */
    @Override
    public void drop(String pipeline, Offset position, boolean force) {}

    @Override
    public OffsetCodec<BinlogOffset> offsetCodec() {
        return new BinlogOffsetCodec();
    }

    private static BinlogOffset offset(Offset offset) {
        if (offset == null || offset instanceof BinlogOffset) {
            return (BinlogOffset) offset;
        }
        throw new SiphonException(
                ErrorCode.STATE_STORE_FAILED,
                "stored position " + offset.describe() + " is not a MySQL binlog position");
    }
}
