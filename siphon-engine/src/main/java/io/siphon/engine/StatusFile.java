package io.siphon.engine;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last known progress of each pipeline, as JSON files under {@code <state-dir>/status/}. A
 * running engine rewrites them every second (atomically), so {@code siphon status} can show a live
 * pipeline without touching the state database, which the running process holds open.
 */
public final class StatusFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What a status file holds.
     *
     * @param progress the run's progress
     * @param writtenAt when it was written
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

    /** The status of one pipeline, if any run wrote one. */
    public static Optional<Status> read(Path stateDir, String pipeline) {
        Path file = stateDir.resolve("status").resolve(pipeline + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(file), Status.class));
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
