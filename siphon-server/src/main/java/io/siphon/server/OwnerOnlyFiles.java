package io.siphon.server;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the data directory to its owner: the directory and its folders {@code rwx------}, its files
 * {@code rw-------}. The metadata store holds password hashes and roles, the key file decrypts
 * every connection secret: nobody else on the machine may read or change them. A no-op where the
 * file system has no POSIX permissions.
 */
final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> DIRECTORY =
            PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE =
            PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {}

    /**
     * Restricts the directory and everything in it.
     *
     * @throws SiphonException {@link ErrorCode#STATE_STORE_FAILED} when the permissions cannot be
     *     set
     */
    static void restrict(Path dataDir) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            paths = walk.toList();
        } catch (IOException e) {
            throw failure(dataDir, e);
        }
        for (Path p : paths) {
            try {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? DIRECTORY : FILE);
            } catch (java.nio.file.NoSuchFileException e) {
                // A temporary file that went away while we walked: nothing to protect.
            } catch (IOException e) {
                throw failure(p, e);
            }
        }
    }

    private static SiphonException failure(Path path, IOException e) {
        return new SiphonException(
                ErrorCode.STATE_STORE_FAILED,
                "cannot make "
                        + path
                        + " readable by its owner only ("
                        + e.getClass().getSimpleName()
                        + "); check that the server's user owns the data directory",
                e);
    }
}
