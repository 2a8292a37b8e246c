package io.siphon.cli.terminal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Writes log lines meant for the person at the terminal (warnings, without stack traces; see {@code
 * logback.xml}) to standard error, or, while a live progress display owns the terminal, through
 * that display so that a warning appears above the progress block instead of inside it.
 */
public final class TerminalLogAppender extends AppenderBase<ILoggingEvent> {

    private static final Consumer<String> STDERR =
            text -> {
                System.err.print(text);
                System.err.flush();
            };

    private static volatile Consumer<String> target = STDERR;

    private Encoder<ILoggingEvent> encoder;

    /** Set by Logback from {@code <encoder>}. */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("TerminalLogAppender needs an <encoder>");
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        target.accept(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }

    /**
     * Prints a line on standard error for the person at the terminal, above the live progress
     * display when one is showing, so the display neither hides it nor breaks.
     */
    public static void printLine(String line) {
        target.accept(line + System.lineSeparator());
    }

    static void divertTo(Consumer<String> display) {
        target = display;
    }

    static void restore() {
        target = STDERR;
    }
}
