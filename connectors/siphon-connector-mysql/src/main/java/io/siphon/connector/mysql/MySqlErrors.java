package io.siphon.connector.mysql;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.sql.SQLException;

/**
 * Turns MySQL and MariaDB errors into {@link SiphonException}s: the one place that knows what each
 * server error number means for a pipeline (retry, stop, which fix to suggest). Both families share
 * the numbers used here. Messages carry the server's message, which names objects but, for the
 * errors that quote a value ({@code Duplicate entry}, {@code Data too long}), the value is cut off.
 */
public final class MySqlErrors {

    /** Access denied for user (wrong password or host). */
    static final int ACCESS_DENIED = 1045;

    /** Unknown database. */
    static final int UNKNOWN_DATABASE = 1049;

    /** Access denied for user to database. */
    static final int DATABASE_ACCESS_DENIED = 1044;

    private MySqlErrors() {}

    /**
     * The error code for a server error number or, failing that, a SQLState.
     *
     * @param fallback the code for errors that say nothing specific
     */
    public static ErrorCode codeFor(int number, String sqlState, ErrorCode fallback) {
        ErrorCode byNumber =
                switch (number) {
                    case ACCESS_DENIED -> ErrorCode.AUTH_FAILED;
                    case UNKNOWN_DATABASE -> ErrorCode.CONFIG_INVALID_VALUE;
                    // Database, table, column, or global privilege denied; no SUPER.
                    case DATABASE_ACCESS_DENIED, 1142, 1143, 1227, 1370, 1410 ->
                            ErrorCode.PERMISSION_DENIED;
                    // Unknown table, no such table.
                    case 1051, 1146 -> ErrorCode.TABLE_NOT_FOUND;
                    // Unknown column, duplicate column, key column missing, wrong column count.
                    case 1054, 1060, 1072, 1136 -> ErrorCode.SCHEMA_MISMATCH;
                    // Too many connections, server shutting down, connection killed.
                    case 1040, 1203 -> ErrorCode.CONNECTION_FAILED;
                    case 1053, 1927, 2006, 2013 -> ErrorCode.CONNECTION_LOST;
                    // Deadlock, lock wait timeout: the transaction can run again.
                    case 1205, 1213 -> ErrorCode.SINK_WRITE_RETRIABLE;
                    // Data too long, out of range, incorrect value, truncated, bad string.
                    case 1264, 1265, 1292, 1366, 1367, 1406, 1411, 4025 -> ErrorCode.DATA_INVALID;
                    // Duplicate key, foreign key, NOT NULL, read-only, disk full, packet too big.
                    case 1062, 1048, 1216, 1217, 1451, 1452, 1290, 1021, 1114, 1153 ->
                            ErrorCode.SINK_WRITE_FAILED;
                    default -> null;
                };
        if (byNumber != null) {
            return byNumber;
        }
        if (sqlState == null || sqlState.length() != 5) {
            return fallback;
        }
        return switch (sqlState.substring(0, 2)) {
            case "08" -> ErrorCode.CONNECTION_LOST;
            case "28" -> ErrorCode.AUTH_FAILED;
            case "22" -> ErrorCode.DATA_INVALID;
            case "23" -> ErrorCode.SINK_WRITE_FAILED;
            case "40" -> ErrorCode.SINK_WRITE_RETRIABLE;
            case "42" -> sqlState.equals("42S02") ? ErrorCode.TABLE_NOT_FOUND : fallback;
            default -> fallback;
        };
    }

    /**
     * An error of an operation on an open connection, where nothing more specific than {@link
     * ErrorCode#INTERNAL_ERROR} is known for unexpected errors.
     *
     * @param action what was being done, for the message ("writing to shop.orders")
     */
    public static SiphonException translate(SQLException e, String action) {
        return translate(e, action, ErrorCode.INTERNAL_ERROR);
    }

    /**
     * An error of an operation on an open connection.
     *
     * @param action what was being done, for the message
     * @param fallback the code for errors with no specific meaning
     */
    public static SiphonException translate(SQLException e, String action, ErrorCode fallback) {
        ErrorCode code = codeFor(e.getErrorCode(), e.getSQLState(), fallback);
        String what =
                "MySQL failed while "
                        + action
                        + ": "
                        + serverMessage(e)
                        + " (error "
                        + e.getErrorCode()
                        + ", SQLState "
                        + e.getSQLState()
                        + ")";
        return new SiphonException(code, what + ". " + adviceFor(code, e.getErrorCode()), e);
    }

    private static String adviceFor(ErrorCode code, int number) {
        if (number == 1114 || number == 1021) {
            return "The table or the server's disk is full: free space, then run the pipeline"
                    + " again";
        }
        if (number == 1153) {
            return "A statement was larger than the server's max_allowed_packet: raise it (SET"
                    + " GLOBAL max_allowed_packet = 268435456) or lower 'batch-rows'";
        }
        return switch (code) {
            case CONNECTION_FAILED, CONNECTION_LOST ->
                    "The connection to the server failed; Siphon retries. If it persists, check"
                            + " that the server is running and reachable";
            case AUTH_FAILED -> "Check 'user' and 'password'";
            case PERMISSION_DENIED ->
                    "Grant the missing privilege to the configured user ('siphon validate' lists"
                            + " what is needed)";
            case TABLE_NOT_FOUND -> "Check the table names; the table may have been dropped";
            case SCHEMA_MISMATCH ->
                    "The table at the server does not have the expected shape; compare it with"
                            + " the source";
            case SINK_WRITE_RETRIABLE -> "A concurrent transaction got in the way; Siphon retries";
            case DATA_INVALID ->
                    "A value does not fit its column at the target; check the column types";
            default -> "See the server's error log for details";
        };
    }

    /** The reason a connection could not be opened, with its fix. */
    public static Problem connectProblem(SQLException e, MySqlEndpoint endpoint) {
        String reason = serverMessage(e);
        int number = e.getErrorCode();
        if (number == ACCESS_DENIED
                || (number != DATABASE_ACCESS_DENIED && "28000".equals(e.getSQLState()))) {
            return new Problem(
                    ErrorCode.AUTH_FAILED,
                    "MySQL at "
                            + endpoint.address()
                            + " refused user '"
                            + endpoint.user()
                            + "': "
                            + reason,
                    "Check 'user' and 'password', and that the account may connect from this"
                            + " host (CREATE USER 'name'@'%' or the host it connects from)");
        }
        if (number == UNKNOWN_DATABASE) {
            return new Problem(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "Database '"
                            + endpoint.database()
                            + "' does not exist on MySQL at "
                            + endpoint.address(),
                    "Create it (CREATE DATABASE "
                            + SqlText.quote(endpoint.database())
                            + ") or correct the database name in 'url'");
        }
        if (number == DATABASE_ACCESS_DENIED) {
            return new Problem(
                    ErrorCode.PERMISSION_DENIED,
                    "User '"
                            + endpoint.user()
                            + "' may not use database '"
                            + endpoint.database()
                            + "' on MySQL at "
                            + endpoint.address(),
                    "Run: GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP ON "
                            + SqlText.quote(endpoint.database())
                            + ".* TO '"
                            + endpoint.user()
                            + "'");
        }
        if (causedBy(e, java.net.UnknownHostException.class)) {
            return new Problem(
                    ErrorCode.CONNECTION_FAILED,
                    "Cannot connect to MySQL at "
                            + endpoint.address()
                            + ": the host name "
                            + endpoint.host()
                            + " does not resolve (DNS lookup failed)",
                    "Check the host name in 'url' for a typo, and that this machine's DNS (or"
                            + " /etc/hosts) knows it");
        }
        ErrorCode code = codeFor(number, e.getSQLState(), ErrorCode.CONNECTION_FAILED);
        if (code == ErrorCode.CONNECTION_LOST) {
            code = ErrorCode.CONNECTION_FAILED;
        }
        return new Problem(
                code,
                "Cannot connect to MySQL at " + endpoint.address() + ": " + reason,
                "Check that the server is running and listening on "
                        + endpoint.address()
                        + " (bind-address, port, firewall) and that 'url' names that host and"
                        + " port");
    }

    /** {@link #connectProblem} as an exception. */
    public static SiphonException connectFailure(SQLException e, MySqlEndpoint endpoint) {
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
     * The server's message without the driver's prefix ({@code (conn=12) }) and without the quoted
     * value of errors that repeat one.
     */
    public static String serverMessage(SQLException e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^\\(conn=\\d+\\) ", "");
        // "Duplicate entry 'value' for key ...", "Incorrect integer value: 'x' for column ...".
        return message.replaceAll("'(?:[^']|'')*' for (key|column)", "<value> for $1")
                .replaceAll("Duplicate entry '(?:[^']|'')*'", "Duplicate entry <value>");
    }
}
