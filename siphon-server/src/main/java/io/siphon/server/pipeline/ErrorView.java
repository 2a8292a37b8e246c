package io.siphon.server.pipeline;

import io.siphon.spi.ErrorCode;
import java.time.Instant;

/**
 * The last error of a pipeline.
 *
 * @param code the error code
 * @param category its category
 * @param retriable whether retrying may help
 * @param message what happened and what to do
 * @param at when it happened
 */
public record ErrorView(
        String code, String category, boolean retriable, String message, Instant at) {

    static ErrorView of(String code, String message, Instant at) {
        if (code == null) {
            return null;
        }
        ErrorCode c = ErrorCode.valueOf(code);
        return new ErrorView(code, c.category().name(), c.retriable(), message, at);
    }
}
