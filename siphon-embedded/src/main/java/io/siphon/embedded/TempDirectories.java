package io.siphon.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders for the demo, the benchmarks and embedded servers, and their removal. */
public final class TempDirectories {

    private TempDirectories() {}

    /** A new empty folder under the system's temporary folder, named with the prefix. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a folder and everything in it; nothing happens when it does not exist. A server that
     * is still shutting down (PostgreSQL's checkpointer on a loaded machine) can write or remove a
     * file after the walk listed its folder, so the walk is repeated then, for up to 10 s.
     *
     * @throws UncheckedIOException when a file cannot be removed
     */
    public static void deleteRecursively(Path dir) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                deleteOnce(dir);
                return;
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException(e);
                }
                pause();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void deleteOnce(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            // Files.walk reports a file removed under it (by the server itself) this way.
            throw e.getCause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while removing files", e));
        }
    }
}
