package io.siphon.engine;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;

/** Finds the {@link SiphonException} inside the wrappers that Jet and futures add. */
final class Errors {

    private Errors() {}

    /** The first SiphonException in the cause chain, or an INTERNAL_ERROR wrapping the failure. */
    static SiphonException unwrap(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SiphonException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new SiphonException(
                ErrorCode.INTERNAL_ERROR,
                "unexpected failure: " + failure + "; see the log for details and please report it",
                failure);
    }
}
