package io.siphon.spi;

import java.util.Objects;

/**
 * The one exception type of Siphon. Its message says what happened, to what, and what to do; its
 * {@link ErrorCode} says what kind of error it is and whether a retry can help.
 */
public class SiphonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** An error with a cause. */
    public SiphonException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** An error without a cause. */
    public SiphonException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** The error code. */
    public ErrorCode code() {
        return code;
    }

    /** Whether retrying may succeed. */
    public boolean retriable() {
        return code.retriable();
    }

    /** {@code CODE: message}, the form shown to users. */
    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
