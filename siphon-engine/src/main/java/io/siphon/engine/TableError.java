package io.siphon.engine;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;

/**
 * Why a table failed in a run: the error that stopped its reading or writing.
 *
 * @param code the error code
 * @param message what happened to the table and what to do
 */
public record TableError(ErrorCode code, String message) {

    /** The error of an exception. */
    public static TableError of(SiphonException e) {
        return new TableError(e.code(), e.getMessage());
    }

    /** {@code CODE: message}. */
    @Override
    public String toString() {
        return code + ": " + message;
    }
}
