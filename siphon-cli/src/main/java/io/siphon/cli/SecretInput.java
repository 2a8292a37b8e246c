package io.siphon.cli;

import io.siphon.cli.terminal.Terminal;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a password without it ever being on the command line, where other users could see it in the
 * process list and the shell would keep it in its history: from standard input ({@code
 * --password-stdin}), from an environment variable, or typed at the terminal without echo.
 */
final class SecretInput {

    private SecretInput() {}

    /**
     * The secret: all of standard input without its line end when {@code fromStdin}, else the
     * environment variable's value if it is set, else what the user types at the terminal.
     *
     * @param envVariable the variable to look at, or null for none
     * @param prompt what to ask at the terminal, for example {@code Password for admin: }
     * @param confirm whether to ask twice at the terminal (for a new password)
     * @throws SiphonException {@link ErrorCode#CONFIG_MISSING_KEY} when there is no terminal and no
     *     other source, or the secret is empty
     */
    static String read(boolean fromStdin, String envVariable, String prompt, boolean confirm) {
        String secret;
        if (fromStdin) {
            secret = stdin();
        } else if (envVariable != null && !isBlank(System.getenv(envVariable))) {
            secret = System.getenv(envVariable);
        } else {
            secret = typed(envVariable, prompt, confirm);
        }
        if (secret.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY,
                    "the password is empty"
                            + (fromStdin ? " (nothing came on standard input)" : ""));
        }
        return secret;
    }

    private static String stdin() {
        try {
            String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\r\n")
                    ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    private static String typed(String envVariable, String prompt, boolean confirm) {
        Console console = System.console();
        if (console == null || !Terminal.isTerminal()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY,
                    "no terminal to ask the password at; pipe it in with --password-stdin"
                            + (envVariable == null ? "" : ", or set " + envVariable));
        }
        char[] first = console.readPassword("%s", prompt);
        if (first == null) {
            throw new SiphonException(ErrorCode.CONFIG_MISSING_KEY, "no password was typed");
        }
        if (confirm) {
            char[] again = console.readPassword("%s", "Again: ");
            if (!Arrays.equals(first, again)) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "the two passwords differ; nothing was changed");
            }
        }
        return new String(first);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
