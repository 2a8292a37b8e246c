package io.siphon.engine.state;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The one lock of one pipeline in a state directory: {@code locks/<pipeline>.lock}, held with an
 * operating-system file lock for as long as the pipeline runs (or is being reset or dropped). The
 * operating system releases it when the process ends, however it ends, so a killed run never leaves
 * a stale lock behind. The file says who holds it (host, process id, state directory, since when),
 * for the error a second copy gets.
 *
 * <p>The lock is per pipeline, not per directory: other pipelines of the same directory run,
 * validate and report their status while this one runs.
 */
public final class PipelineLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private PipelineLock(FileChannel channel, FileLock lock, Path file) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
    }

    /**
     * Takes the lock of a pipeline, or fails at once.
     *
     * @throws SiphonException {@link ErrorCode#PIPELINE_ALREADY_RUNNING} naming the holder when
     *     another process, or another run in this one, holds it; {@link
     *     ErrorCode#STATE_STORE_FAILED} when the lock file cannot be written
     */
    public static PipelineLock acquire(Path stateDir, String pipeline) {
        return acquire(stateDir, pipeline, "--state-dir");
    }

    /**
     * Takes the lock of a pipeline, or fails at once, naming {@code directoryOption} (the option
     * that chose the directory: {@code --data-dir} for a server) in messages.
     */
    public static PipelineLock acquire(Path stateDir, String pipeline, String directoryOption) {
        Path dir = stateDir.toAbsolutePath().normalize();
        Path file = dir.resolve("locks").resolve(pipeline + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                // Another engine of this JVM holds it. This channel stays open, and the holder is
                // read through it: closing any descriptor of the file drops every lock the process
                // holds on it (POSIX), the other engine's included.
                throw alreadyRunning(pipeline, dir, directoryOption, readHolder(channel));
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw alreadyRunning(pipeline, dir, directoryOption, holder);
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((holder(dir) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new PipelineLock(channel, lock, file);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "could not lock pipeline "
                            + pipeline
                            + " in state directory "
                            + dir
                            + " ("
                            + StateStore.describe(e)
                            + "); choose a writable "
                            + directoryOption,
                    e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // Reads until full or at the end of the file.
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    /** Who takes a lock now: this process, on this host, with this state directory. */
    static String holder(Path stateDir) {
        return "process "
                + ProcessHandle.current().pid()
                + " on "
                + hostName()
                + " with state directory "
                + stateDir
                + " since "
                + Instant.now();
    }

    /** The name of this host, or its address when it has no name. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static SiphonException alreadyRunning(
            String pipeline, Path dir, String directoryOption, String holder) {
        return new SiphonException(
                ErrorCode.PIPELINE_ALREADY_RUNNING,
                "pipeline "
                        + pipeline
                        + " is already running ("
                        + (holder.isEmpty()
                                ? "in another process with state directory " + dir
                                : holder)
                        + "); stop that run first (Ctrl-C, or SIGTERM to its process)"
                        + ("--state-dir".equals(directoryOption)
                                ? ". Its status: `siphon status "
                                        + pipeline
                                        + " --state-dir "
                                        + dir
                                        + "`"
                                : ", or give this one another " + directoryOption));
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The lock was not taken; the channel is being abandoned.
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /**
     * Releases the lock. The file stays (deleting it would race with a process about to lock it);
     * its content only matters while it is locked.
     */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "could not release the lock " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
