package io.siphon.server.user;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a password must be: at least {@value #MIN_LENGTH} characters, at most {@value #MAX_BYTES}
 * bytes in UTF-8 (bcrypt reads no further, so longer ones would be silently cut), not blank, not
 * one character repeated, not the user's name, and not on the list of common passwords shipped with
 * the server ({@code common-passwords.txt}).
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 10;
    static final int MAX_BYTES = 72;
    private static final String LIST = "common-passwords.txt";

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    /** The policy with the shipped list of common passwords. */
    static PasswordPolicy standard() {
        Set<String> common = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the server's jar");
            }
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    common.add(entry.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PasswordPolicy(common);
    }

    /**
     * Refuses a password that breaks the policy.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} saying which rule and the
     *     limit
     */
    void check(String username, String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw invalid("password is too short; use at least " + MIN_LENGTH + " characters");
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw invalid(
                    "password is "
                            + bytes
                            + " bytes long in UTF-8; use at most "
                            + MAX_BYTES
                            + " (bcrypt ignores the rest)");
        }
        if (password.isBlank()) {
            throw invalid("password is blank; use letters, digits or symbols");
        }
        if (password.codePoints().distinct().count() == 1) {
            throw invalid("password is one character repeated; choose a harder one");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && lower.equals(username.toLowerCase(Locale.ROOT))) {
            throw invalid("password is the user's name; choose another");
        }
        if (common.contains(lower)) {
            throw invalid(
                    "password is one of the most common passwords, the first an attacker tries;"
                            + " choose another");
        }
    }

    private static SiphonException invalid(String message) {
        return new SiphonException(ErrorCode.CONFIG_INVALID_VALUE, message);
    }
}
