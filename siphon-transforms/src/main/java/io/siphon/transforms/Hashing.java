package io.siphon.transforms;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex, the one hash of masks and of the {@code sha256} function. */
public final class Hashing {

    private Hashing() {}

    /** The SHA-256 of the bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "this Java runtime has no SHA-256 digest", e);
        }
    }
}
