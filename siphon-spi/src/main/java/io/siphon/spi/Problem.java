package io.siphon.spi;

/**
 * One thing that stops a connector from working, found by {@link Connector#check}.
 *
 * @param code the error code
 * @param message what is wrong, naming the object (server, table, privilege)
 * @param fix what the user should do, as concretely as possible (the SQL to run, the setting)
 */
public record Problem(ErrorCode code, String message, String fix) {

    /** The problem as an exception, for callers that must stop on it. */
    public SiphonException toException() {
        return new SiphonException(code, message + ". " + fix);
    }

    /** {@code CODE: message. fix}. */
    @Override
    public String toString() {
        return code + ": " + message + ". " + fix;
    }
}
