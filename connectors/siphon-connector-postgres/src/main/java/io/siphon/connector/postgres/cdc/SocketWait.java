package io.siphon.connector.postgres.cdc;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the replication connection has something to read, or a timeout passes, without taking
 * anything from it.
 *
 * <p>pgjdbc's replication stream offers a read that blocks until a message comes, however long that
 * is, and {@code readPending()}, which returns at once; a poll with a timeout needs a wait between
 * the two. This one peeks at the connection's buffered input with the socket's read timeout set to
 * what is left: the thread sleeps in the kernel until the server sends something (a change, a
 * keepalive) and the byte it reads stays in pgjdbc's buffer for the next {@code readPending()}.
 * Only the first byte of a message is waited for with a timeout, so a message is never cut in half.
 *
 * <p>pgjdbc does not make its connection stream public; it is reached through the field that holds
 * it. With a pgjdbc that has no such field the wait falls back to pauses that grow from 1 to 50 ms
 * while nothing comes, which cost an idle stream about twenty wake-ups a second.
 */
final class SocketWait {

    private static final Logger LOG = LoggerFactory.getLogger(SocketWait.class);

    /** The first pause of the fallback. */
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The longest pause of the fallback: an idle stream's first change comes at most this late. */
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** How long one look at the socket lasts: how late a wait notices an interrupt. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** The connection's stream, or null when the fallback is in use. */
    private final PGStream pgStream;

    private long pauseNanos = FIRST_PAUSE_NANOS;

    private SocketWait(PGStream pgStream) {
        this.pgStream = pgStream;
    }

    /** A wait on the given replication connection. */
    static SocketWait on(Connection replication) {
        try {
            var executor = replication.unwrap(BaseConnection.class).getQueryExecutor();
            Field field = QueryExecutorBase.class.getDeclaredField("pgStream");
            field.setAccessible(true);
            return new SocketWait((PGStream) field.get(executor));
        } catch (ReflectiveOperationException | RuntimeException | SQLException e) {
            LOG.info(
                    "This pgjdbc does not let Siphon wait on the replication socket ({}); an idle"
                            + " stream looks for changes every 50 ms instead",
                    e.toString());
            return new SocketWait(null);
        }
    }

    /** Whether this wait sleeps until data comes (false: it falls back to pauses). */
    boolean waitsOnSocket() {
        return pgStream != null;
    }

    /** Notes that data came: the fallback's next pause is short again. */
    void dataCame() {
        pauseNanos = FIRST_PAUSE_NANOS;
    }

    /**
     * Waits until the connection has a byte to read, {@code nanos} have passed, or the thread is
     * interrupted. An interrupt does not wake a socket wait, so the wait looks in slices of {@link
     * #SLICE_NANOS}; a slice that ends with nothing read costs one system call, not a turn of the
     * caller's loop.
     *
     * @return whether there may be something to read now
     * @throws SQLException when the connection broke or was closed
     */
    boolean await(long nanos) throws SQLException {
        if (pgStream == null) {
            LockSupport.parkNanos(Math.min(nanos, pauseNanos));
            pauseNanos = Math.min(pauseNanos * 2, LONGEST_PAUSE_NANOS);
            return true;
        }
        long deadline = System.nanoTime() + nanos;
        try {
            int before = pgStream.getNetworkTimeout();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    // A socket timeout of 0 means none: wait at least a millisecond.
                    int millis = (int) Math.max(1, Math.min(left, SLICE_NANOS) / 1_000_000);
                    pgStream.setNetworkTimeout(millis);
                    try {
                        pgStream.peekChar();
                        return true;
                    } catch (SocketTimeoutException e) {
                        if (left <= SLICE_NANOS || Thread.currentThread().isInterrupted()) {
                            return false;
                        }
                    }
                }
            } finally {
                pgStream.setNetworkTimeout(before);
            }
        } catch (IOException e) {
            throw new PSQLException(
                    "The replication connection failed while waiting for data",
                    PSQLState.CONNECTION_FAILURE,
                    e);
        }
    }
}
