package io.siphon.spi;

import java.util.List;

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

    /**
     * Stops on the problems found with one object, if there are any: one problem as its own
     * exception, several as one exception that lists each with its fix, so the user mends them all
     * in one go.
     *
     * @param object what the problems are with, for example {@code target table public.orders}
     * @param problems the problems found, possibly none
     * @throws SiphonException with the first problem's code when there is at least one
     */
    public static void throwAll(String object, List<Problem> problems) {
        if (problems.size() == 1) {
            throw problems.getFirst().toException();
        }
        if (!problems.isEmpty()) {
            StringBuilder message =
                    new StringBuilder()
                            .append(problems.size())
                            .append(" problems with ")
                            .append(object)
                            .append(':');
            for (Problem p : problems) {
                message.append("\n  ").append(p.message()).append(". ").append(p.fix());
            }
            throw new SiphonException(problems.getFirst().code(), message.toString());
        }
    }

    /** {@code CODE: message. fix}. */
    @Override
    public String toString() {
        return code + ": " + message + ". " + fix;
    }
}
