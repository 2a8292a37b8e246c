package io.siphon.server.secret;

import io.siphon.server.ServerSettings;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Encrypts connection secrets at rest with AES-256-GCM. The key comes from {@code
 * SIPHON_SECRET_KEY} (base64 of 32 bytes) or from {@code secret.key} in the data directory, created
 * at the first start readable by its owner only.
 *
 * <p>A sealed value is {@code v1:} and base64 of a random 12-byte nonce followed by the ciphertext
 * and its tag. The caller's context (the connection name) is bound in as associated data, so a
 * value copied to another row does not decrypt.
 */
@Component
public class SecretBox {

    static final String KEY_FILE = "secret.key";
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretBox(ServerSettings settings) {
        this.key = new SecretKeySpec(keyBytes(settings), "AES");
    }

    /** Encrypts a text for a context. */
    public String seal(String plain, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return VERSION
                    + Base64.getEncoder()
                            .encodeToString(
                                    ByteBuffer.allocate(nonce.length + sealed.length)
                                            .put(nonce)
                                            .put(sealed)
                                            .array());
        } catch (GeneralSecurityException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "cannot encrypt with AES-GCM: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts what {@link #seal} made for the same context.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the key is not the one
     *     the value was sealed with
     */
    public String open(String sealed, String context) {
        if (!sealed.startsWith(VERSION)) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "the stored secrets of " + context + " are in an unknown format");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(
                    cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "the secrets of "
                            + context
                            + " cannot be decrypted with this server's key; start the server with"
                            + " the key they were saved with (SIPHON_SECRET_KEY or the data"
                            + " directory's "
                            + KEY_FILE
                            + "), or enter them again",
                    e);
        }
    }

    private static byte[] keyBytes(ServerSettings settings) {
        if (settings.secretKey() != null && !settings.secretKey().isBlank()) {
            return decode(settings.secretKey().trim(), "SIPHON_SECRET_KEY");
        }
        Path file = settings.dataDir().resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                create(file, Base64.getEncoder().encodeToString(fresh) + "\n");
            }
            return decode(Files.readString(file).trim(), file.toString());
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot read or create the secret key file "
                            + file
                            + " ("
                            + e.getClass().getSimpleName()
                            + "); check the data directory's permissions",
                    e);
        }
    }

    private static void create(Path file, String content) throws IOException {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        Files.writeString(file, content);
    }

    private static byte[] decode(String base64, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 32) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "the secret key in "
                            + where
                            + " must be base64 of 32 random bytes (for example the output of"
                            + " 'openssl rand -base64 32')");
        }
        return bytes;
    }
}
