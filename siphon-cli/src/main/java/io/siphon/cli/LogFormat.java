package io.siphon.cli;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.Encoder;

/** How log lines are written: plain text, or one JSON object a line for a log collector. */
enum LogFormat {
    /** One line of text an event, from a Logback pattern. */
    TEXT,
    /**
     * One JSON object a line (Logback's {@link JsonEncoder}): timestamp, level, thread, logger, the
     * formatted message, the MDC ({@code pipeline}, {@code table}) and, where wanted, the
     * exception.
     */
    JSON;

    /** The format named on the command line: {@code text} or {@code json}; null for others. */
    static LogFormat named(String name) {
        return switch (name) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> null;
        };
    }

    /**
     * A started encoder in this format.
     *
     * @param pattern the Logback pattern of the text format
     * @param withThrowable whether the JSON format carries the exception (the text pattern says it
     *     itself)
     */
    Encoder<ILoggingEvent> encoder(Context context, String pattern, boolean withThrowable) {
        Encoder<ILoggingEvent> encoder =
                switch (this) {
                    case TEXT -> {
                        PatternLayoutEncoder text = new PatternLayoutEncoder();
                        text.setPattern(pattern);
                        yield text;
                    }
                    case JSON -> {
                        JsonEncoder json = new JsonEncoder();
                        // The message as it reads, not its template and arguments; no logger
                        // context (the same on every line) and no sequence numbers.
                        json.setWithFormattedMessage(true);
                        json.setWithMessage(false);
                        json.setWithArguments(false);
                        json.setWithContext(false);
                        json.setWithSequenceNumber(false);
                        json.setWithNanoseconds(false);
                        json.setWithThrowable(withThrowable);
                        yield json;
                    }
                };
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
