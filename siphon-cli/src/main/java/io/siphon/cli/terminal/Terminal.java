package io.siphon.cli.terminal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the terminal that siphon writes to can do.
 *
 * @param interactive whether output goes to a terminal that understands ANSI cursor moves, so
 *     progress can be redrawn in place; false for pipes, files, CI logs and {@code TERM=dumb}
 * @param unicode whether the terminal's character set can show symbols such as ✓ and █
 */
public record Terminal(boolean interactive, boolean unicode) {

    /** A plain, ASCII-only terminal: what tests and pipes get. */
    public static final Terminal PLAIN = new Terminal(false, false);

    /** Looks at the process's console, {@code TERM} and the standard output's character set. */
    public static Terminal detect() {
        String term = System.getenv("TERM");
        boolean interactive =
                isTerminal()
                        && term != null
                        && !term.isBlank()
                        && !term.toLowerCase(Locale.ROOT).equals("dumb");
        return new Terminal(interactive, stdoutCharset().equals(StandardCharsets.UTF_8));
    }

    /** The character set of standard output, as the JVM found it from the locale. */
    public static Charset stdoutCharset() {
        String name = System.getProperty("stdout.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    /** ✓ or ✗, or OK and DIFF where the terminal cannot show them. */
    public String mark(boolean ok) {
        if (unicode) {
            return ok ? "✓" : "✗";
        }
        return ok ? "OK" : "DIFF";
    }

    /** Whether the process has a terminal that a person types at (not a pipe or a file). */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 on, System.console() may return a console even when output is redirected;
        // Console.isTerminal() (22+, so not callable with release 21) then tells the truth.
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
