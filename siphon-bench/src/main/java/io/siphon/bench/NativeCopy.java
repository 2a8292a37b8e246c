package io.siphon.bench;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * The baseline: what a person would do by hand, {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)}
 * on the source piped into {@code COPY ... FROM STDIN (FORMAT binary)} on the target, in one JVM.
 * The two ends run on their own threads joined by a bounded queue of 256 KB blocks, so reading and
 * writing overlap as they would through a shell pipe.
 */
final class NativeCopy {

    private static final int BLOCK_BYTES = 256 * 1024;
    private static final byte[] END = new byte[0];

    private NativeCopy() {}

    /**
     * Copies every row of {@code selectSql} into {@code table} (which must exist, empty), in
     * autocommit: the rows are committed when this returns.
     *
     * @return the rows the target took
     */
    static long copy(Connection source, String selectSql, Connection target, String table) {
        BlockingQueue<byte[]> pipe = new ArrayBlockingQueue<>(64);
        AtomicReference<Exception> readFailure = new AtomicReference<>();
        Thread reader =
                Thread.ofPlatform()
                        .name("native-copy-out")
                        .daemon(true)
                        .start(() -> read(source, selectSql, pipe, readFailure));
        try {
            CopyIn in =
                    target.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn("COPY " + table + " FROM STDIN (FORMAT binary)");
            try {
                for (byte[] block = pipe.take(); block != END; block = pipe.take()) {
                    in.writeToCopy(block, 0, block.length);
                }
                reader.join();
                if (readFailure.get() != null) {
                    throw new SiphonException(
                            ErrorCode.CONNECTION_FAILED,
                            "native COPY TO failed: " + readFailure.get().getMessage(),
                            readFailure.get());
                }
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_FAILED, "native COPY FROM failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "interrupted during the native COPY", e);
        } finally {
            reader.interrupt();
        }
    }

    private static void read(
            Connection source,
            String selectSql,
            BlockingQueue<byte[]> pipe,
            AtomicReference<Exception> failure) {
        try {
            try {
                CopyOut out =
                        source.unwrap(PGConnection.class)
                                .getCopyAPI()
                                .copyOut("COPY (" + selectSql + ") TO STDOUT (FORMAT binary)");
                ByteArrayOutputStream block = new ByteArrayOutputStream(BLOCK_BYTES + 4096);
                for (byte[] data = out.readFromCopy(); data != null; data = out.readFromCopy()) {
                    block.writeBytes(data);
                    if (block.size() >= BLOCK_BYTES) {
                        pipe.put(block.toByteArray());
                        block.reset();
                    }
                }
                if (block.size() > 0) {
                    pipe.put(block.toByteArray());
                }
            } catch (SQLException e) {
                // The writer is still draining: END below lets it look at the failure.
                failure.set(e);
            }
            pipe.put(END);
        } catch (InterruptedException writerGaveUp) {
            Thread.currentThread().interrupt();
        }
    }
}
