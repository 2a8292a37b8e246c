package io.siphon.cli.client;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The file {@code credentials.json} in Siphon's configuration folder, where {@code siphon login}
 * keeps its {@link Credentials}. Only its owner may read it: the folder is created with mode 0700
 * and the file with 0600 (on file systems with POSIX permissions), and it is replaced atomically,
 * so that it is never seen half written or readable by others.
 *
 * <p>The folder is, first found: the system property {@value #CONFIG_DIR_PROPERTY}, the environment
 * variable {@value #CONFIG_DIR_ENV}, or {@code ~/.siphon}.
 */
public final class CredentialsFile {

    /** The file's name in the configuration folder. */
    public static final String FILE_NAME = "credentials.json";

    /** The system property that names the configuration folder (for tests, in-process). */
    public static final String CONFIG_DIR_PROPERTY = "siphon.config.dir";

    /** The environment variable that names the configuration folder. */
    public static final String CONFIG_DIR_ENV = "SIPHON_CONFIG_DIR";

    private final Path file;

    private CredentialsFile(Path file) {
        this.file = file;
    }

    /** The credentials file of the configuration folder this process uses. */
    public static CredentialsFile standard() {
        String dir = System.getProperty(CONFIG_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(CONFIG_DIR_ENV);
        }
        Path folder =
                dir == null || dir.isBlank()
                        ? Path.of(System.getProperty("user.home"), ".siphon")
                        : Path.of(dir);
        return new CredentialsFile(folder.resolve(FILE_NAME));
    }

    /** Where the file is. */
    public Path path() {
        return file;
    }

    /**
     * The stored credentials; empty when nobody has signed in.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_SYNTAX} when the file is damaged
     */
    public Optional<Credentials> read() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unusable("cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        JsonNode json;
        try {
            // Read as a tree, not bound to the record: binding would start Jackson's bean
            // introspection, a few hundred classes more on every signed-in command.
            json = JsonMappers.compact().readTree(text);
        } catch (JacksonException e) {
            throw unusable("is not valid JSON", e);
        }
        String server = json.path("server").asString(null);
        String token = json.path("token").asString(null);
        if (server == null || token == null) {
            throw unusable("lacks the server or the token", null);
        }
        URI address;
        try {
            address = new URI(server);
        } catch (URISyntaxException e) {
            throw unusable("has a server address that is not a URL", e);
        }
        return Optional.of(
                new Credentials(
                        address,
                        json.path("username").asString(null),
                        json.path("tokenId").asString(null),
                        token));
    }

    /**
     * Stores credentials in place of any earlier ones.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the folder is not
     *     writable
     */
    public void write(Credentials credentials) {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = dir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(dir, permissions("rwx------"));
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, permissions("rw-------"));
            Files.writeString(temporary, JsonMappers.indented().writeValueAsString(credentials));
            Files.move(
                    temporary,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "cannot write "
                            + file
                            + " ("
                            + e.getClass().getSimpleName()
                            + "); set "
                            + CONFIG_DIR_ENV
                            + " to a folder you may write",
                    e);
        }
    }

    /**
     * Deletes the file.
     *
     * @return whether there was one
     */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "cannot delete " + file + " (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /** Owner-only permissions where the file system has POSIX permissions; none elsewhere. */
    private static FileAttribute<?>[] permissions(String mode) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))
        };
    }

    private SiphonException unusable(String what, Exception cause) {
        return new SiphonException(
                ErrorCode.CONFIG_SYNTAX,
                "the credentials file "
                        + file
                        + " "
                        + what
                        + "; sign in again with siphon login, or delete it",
                cause);
    }
}
