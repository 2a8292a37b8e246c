package io.siphon.transforms;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex, the one hash of masks and of the {@code sha256} function. */
public final class Hashing {

    private Hashing() {}

    /** The SHA-256 of the bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /**
     * A digest of salted texts for one thread, reused from value to value: looking the algorithm up
     * again for every value cost as much as hashing it.
     */
    public static final class SaltedSha256 {

        private final MessageDigest digest = sha256();
        private final byte[] salt;

        /** A digest of {@code salt} followed by each text. */
        public SaltedSha256(String salt) {
            this.salt = salt.getBytes(StandardCharsets.UTF_8);
        }

        /** The SHA-256 of the salt followed by the text's UTF-8, as 64 lower-case hex digits. */
        public String hex(String text) {
            digest.update(salt);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "this Java runtime has no SHA-256 digest", e);
        }
    }
}
