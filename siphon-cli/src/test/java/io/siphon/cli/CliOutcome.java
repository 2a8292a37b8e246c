package io.siphon.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * What one in-process run of the siphon command line did: its exit code and everything it printed.
 *
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
record CliOutcome(int exitCode, String out, String err) {

    /** Runs {@code siphon args...} in this JVM, as {@code main} would, without exiting. */
    static CliOutcome siphon(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SiphonCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliOutcome(code, out.toString(), err.toString());
    }

    /**
     * Runs {@code siphon args...} in this JVM with {@code input} on standard input, as a shell pipe
     * would give it (for {@code --password-stdin}).
     */
    static CliOutcome siphonWithInput(String input, String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream((input + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return siphon(args);
        } finally {
            System.setIn(stdin);
        }
    }

    /** Both streams, for assertions about anything printed. */
    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
