package io.siphon.connector.postgres;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns PostgreSQL errors into {@link SiphonException}s: the one place that knows what each
 * SQLState means for a pipeline (retry, stop, which fix to suggest). Every part of the connector
 * goes through it.
 *
 * <p>Messages carry the server's primary message but never its detail or context lines, which may
 * quote row values.
 */
public final class PostgresErrors {

    private PostgresErrors() {}

    /**
     * The error code for a SQLState.
     *
     * @param sqlState the five-character state, or null when the driver gave none
     * @param fallback the code for states that say nothing specific (the caller knows whether it
     *     was reading or writing)
     */
    public static ErrorCode codeFor(String sqlState, ErrorCode fallback) {
        if (sqlState == null || sqlState.length() != 5) {
            return fallback;
        }
        return switch (sqlState) {
            case "08001", "08004", "57P03", "53300" -> ErrorCode.CONNECTION_FAILED;
            case "57P01", "57P02", "57014" -> ErrorCode.CONNECTION_LOST;
            case "28P01", "28000" -> ErrorCode.AUTH_FAILED;
            case "3D000" -> ErrorCode.CONFIG_INVALID_VALUE;
            case "42501" -> ErrorCode.PERMISSION_DENIED;
            case "42P01", "3F000", "42704" -> ErrorCode.TABLE_NOT_FOUND;
            case "42703", "42P10", "42804" -> ErrorCode.SCHEMA_MISMATCH;
            case "40001", "40P01", "55P03" -> ErrorCode.SINK_WRITE_RETRIABLE;
            case "53100", "25006" -> ErrorCode.SINK_WRITE_FAILED;
            default ->
                    switch (sqlState.substring(0, 2)) {
                        case "08" -> ErrorCode.CONNECTION_LOST;
                        case "22" -> ErrorCode.DATA_INVALID;
                        case "23" -> ErrorCode.SINK_WRITE_FAILED;
                        default -> fallback;
                    };
        };
    }

    /**
     * An error of an operation on an open connection, where nothing more specific than {@link
     * ErrorCode#INTERNAL_ERROR} is known for unexpected states.
     *
     * @param action what was being done, for the message ("reading split public.orders#3")
     */
    public static SiphonException translate(SQLException e, String action) {
        return translate(e, action, ErrorCode.INTERNAL_ERROR);
    }

    /**
     * An error of an operation on an open connection.
     *
     * @param action what was being done, for the message
     * @param fallback the code for states with no specific meaning
     */
    public static SiphonException translate(SQLException e, String action, ErrorCode fallback) {
        String state = e.getSQLState();
        ErrorCode code = codeFor(state, fallback);
        String what =
                "PostgreSQL failed while "
                        + action
                        + ": "
                        + primaryMessage(e)
                        + " (SQLState "
                        + state
                        + ")";
        return new SiphonException(code, what + ". " + adviceFor(code, state), e);
    }

    private static String adviceFor(ErrorCode code, String state) {
        if ("53100".equals(state)) {
            return "The server's disk is full: free space on its data disk, then run the"
                    + " pipeline again";
        }
        return switch (code) {
            case CONNECTION_FAILED, CONNECTION_LOST ->
                    "The connection to the server failed; Siphon retries. If it persists, check"
                            + " that the server is running and reachable";
            case AUTH_FAILED -> "Check 'user' and 'password'";
            case PERMISSION_DENIED ->
                    "Grant the missing privilege to the configured user ('siphon validate' lists"
                            + " the GRANT statements)";
            case TABLE_NOT_FOUND -> "Check the table names; the table may have been dropped";
            case SCHEMA_MISMATCH ->
                    "The table at the server does not have the expected shape; compare it with"
                            + " the source";
            case SINK_WRITE_RETRIABLE -> "A concurrent transaction got in the way; Siphon retries";
            case DATA_INVALID -> "A value could not be converted; check the column types";
            default -> "See the PostgreSQL server log for details";
        };
    }

    /** The reason a connection could not be opened, with its fix. */
    public static Problem connectProblem(SQLException e, PostgresEndpoint endpoint) {
        String state = e.getSQLState();
        String reason = primaryMessage(e);
        if ("28P01".equals(state) || "28000".equals(state)) {
            return new Problem(
                    ErrorCode.AUTH_FAILED,
                    "PostgreSQL at "
                            + endpoint.address()
                            + " refused user '"
                            + endpoint.user()
                            + "' for database '"
                            + endpoint.database()
                            + "': "
                            + reason,
                    "Check 'user' and 'password', and that pg_hba.conf allows this user to"
                            + " connect from here");
        }
        if ("3D000".equals(state)) {
            return new Problem(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "Database '"
                            + endpoint.database()
                            + "' does not exist on PostgreSQL at "
                            + endpoint.address(),
                    "Create it (CREATE DATABASE "
                            + SqlText.quote(String.valueOf(endpoint.database()))
                            + ") or correct the database name in 'url'");
        }
        if (causedBy(e, java.net.UnknownHostException.class)) {
            return new Problem(
                    ErrorCode.CONNECTION_FAILED,
                    "Cannot connect to PostgreSQL at "
                            + endpoint.address()
                            + ": the host name "
                            + endpoint.host()
                            + " does not resolve (DNS lookup failed)",
                    "Check the host name in 'url' for a typo, and that this machine's DNS (or"
                            + " /etc/hosts) knows it");
        }
        ErrorCode code = codeFor(state, ErrorCode.CONNECTION_FAILED);
        if (code == ErrorCode.CONNECTION_LOST) {
            code = ErrorCode.CONNECTION_FAILED;
        }
        return new Problem(
                code,
                "Cannot connect to PostgreSQL at " + endpoint.address() + ": " + reason,
                "Check that the server is running and listening on "
                        + endpoint.address()
                        + " (listen_addresses, port, firewall) and that 'url' names that host"
                        + " and port");
    }

    /** {@link #connectProblem} as an exception. */
    public static SiphonException connectFailure(SQLException e, PostgresEndpoint endpoint) {
        Problem p = connectProblem(e, endpoint);
        return new SiphonException(p.code(), p.message() + ". " + p.fix(), e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the server says a data error happened, from its context ({@code COPY t, line 3, column
     * name: ...}): the column and the 1-based line of the COPY, without the value.
     *
     * @param column the column, or null when the server does not say
     * @param line the line of a COPY, or 0
     */
    public record DataErrorPlace(String column, int line) {}

    private static final java.util.regex.Pattern COPY_PLACE =
            java.util.regex.Pattern.compile("COPY [^,]+, line (\\d+)(?:, column ([^:]+))?");

    /** The place of a data error (SQLState class 22), or null when it is none or unknown. */
    public static DataErrorPlace placeOf(SQLException e) {
        if (e.getSQLState() == null
                || !e.getSQLState().startsWith("22")
                || !(e instanceof PSQLException pe)
                || pe.getServerErrorMessage() == null) {
            return null;
        }
        ServerErrorMessage server = pe.getServerErrorMessage();
        String column = server.getColumn();
        int line = 0;
        if (server.getWhere() != null) {
            java.util.regex.Matcher m = COPY_PLACE.matcher(server.getWhere());
            if (m.find()) {
                line = Integer.parseInt(m.group(1));
                if (column == null) {
                    column = m.group(2);
                }
            }
        }
        return column == null && line == 0 ? null : new DataErrorPlace(column, line);
    }

    /** The server's primary message without detail, hint or context (which may hold values). */
    public static String primaryMessage(SQLException e) {
        if (e instanceof PSQLException pe) {
            ServerErrorMessage server = pe.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                return server.getMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }
}
