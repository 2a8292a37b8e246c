package io.siphon.engine;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last known progress of each pipeline, as JSON files under {@code <state-dir>/status/}, so
 * {@code siphon status} can show a live pipeline without touching the state database, which the
 * running process holds open. A running engine looks every second: it rewrites a file (atomically)
 * when the progress changed, and otherwise only sets its modification time, which {@link #read}
 * takes as the time of the status (an idle stream's status rarely changes, and writing it every
 * second was a tenth of a percent of a core).
 */
public final class StatusFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What a status file holds.
     *
     * @param progress the run's progress
     * @param writtenAt when it was written, or last confirmed unchanged
     * @param processId the process that wrote it
     * @param error the error code and message when the run failed, else null
     */
    public record Status(RunProgress progress, Instant writtenAt, long processId, String error) {}

    private StatusFile() {}

    static void write(Path stateDir, RunProgress progress, String error) {
        Path dir = stateDir.resolve("status");
        Path file = dir.resolve(progress.pipeline() + ".json");
        try {
            Files.createDirectories(dir);
            // A temporary file of its own per write: the periodic writer and a run's final
            // write may overlap.
            Path tmp = Files.createTempFile(dir, progress.pipeline() + ".", ".tmp");
            Status status =
                    new Status(progress, Instant.now(), ProcessHandle.current().pid(), error);
            Files.writeString(tmp, JSON.writeValueAsString(status));
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot write status file " + file + " (" + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * Marks a pipeline's status as confirmed now, unchanged: sets its file's modification time.
     *
     * @return false when there is no status file to mark
     */
    static boolean touch(Path stateDir, String pipeline) {
        Path file = stateDir.resolve("status").resolve(pipeline + ".json");
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot mark status file " + file + " (" + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * A progress with its times left out ({@link RunProgress#elapsed()}, {@link
     * TableProgress#elapsed()}): what must differ for a status to be written again.
     */
    static RunProgress withoutTimes(RunProgress progress) {
        return new RunProgress(
                progress.pipeline(),
                progress.phase(),
                progress.tables().stream()
                        .map(
                                t ->
                                        new TableProgress(
                                                t.source(),
                                                t.target(),
                                                t.chunksTotal(),
                                                t.chunksDone(),
                                                t.rowsEstimated(),
                                                t.rowsWritten(),
                                                t.resumed(),
                                                Duration.ZERO,
                                                t.done(),
                                                t.events(),
                                                t.resnapshot(),
                                                t.error()))
                        .toList(),
                Duration.ZERO,
                progress.stream());
    }

    /**
     * The status of one pipeline, if any run wrote one. A file confirmed after it was written (see
     * {@link #touch}) gives a status of that time, its run that much longer.
     */
    public static Optional<Status> read(Path stateDir, String pipeline) {
        Path file = stateDir.resolve("status").resolve(pipeline + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Status written = JSON.readValue(Files.readString(file), Status.class);
            Instant confirmed = Files.getLastModifiedTime(file).toInstant();
            if (!confirmed.isAfter(written.writtenAt())) {
                return Optional.of(written);
            }
            RunProgress p = written.progress();
            Duration later = Duration.between(written.writtenAt(), confirmed);
            return Optional.of(
                    new Status(
                            new RunProgress(
                                    p.pipeline(),
                                    p.phase(),
                                    p.tables(),
                                    p.elapsed().plus(later),
                                    p.stream()),
                            confirmed,
                            written.processId(),
                            written.error()));
        } catch (IOException | RuntimeException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot read status file " + file + " (" + e.getMessage() + ")",
                    e);
        }
    }

    /** The status of every pipeline of a state directory, by name. */
    public static List<Status> readAll(Path stateDir) {
        Path dir = stateDir.resolve("status");
        List<Status> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = f.getFileName().toString();
                read(stateDir, name.substring(0, name.length() - ".json".length()))
                        .ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes a pipeline's status file. */
    static void delete(Path stateDir, String pipeline) {
        try {
            Files.deleteIfExists(stateDir.resolve("status").resolve(pipeline + ".json"));
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot remove the status of " + pipeline + ": " + e.getMessage(),
                    e);
        }
    }
}
