package io.siphon.connector.mysql;

import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server and credentials of one configured connector, and the one way this connector opens a
 * connection to it. Every connection gets the same session setup, so that values are written and
 * read the same way by every part.
 *
 * @param url the JDBC URL for the MariaDB driver ({@code jdbc:mysql://} rewritten to {@code
 *     jdbc:mariadb://}, which the driver takes for both families)
 * @param host the host named in the URL, for messages
 * @param port the port named in the URL (3306 when absent), for messages
 * @param database the database named in the URL: the default for names without one
 * @param user the user, or null
 * @param password the password, or null
 * @param connectTimeoutSeconds how long to wait for the server to accept a connection
 */
public record MySqlEndpoint(
        String url,
        String host,
        int port,
        String database,
        String user,
        String password,
        int connectTimeoutSeconds)
        implements Serializable {

    private static final Pattern URL =
            Pattern.compile(
                    "jdbc:(?:mysql|mariadb)://(\\[[^]]+]|[^/:?,]+)(?::(\\d+))?/([^?/]+)(\\?.*)?");

    /**
     * The session setup of every connection: UTC as the session time zone, so that a {@code
     * TIMESTAMP} (an instant) is written and read as UTC text whatever the server's zone, while
     * {@code DATETIME} (a wall clock) is never shifted; a strict {@code sql_mode}, so that a value
     * that does not fit fails instead of being cut or zeroed; utf8mb4 for every text.
     */
    private static final String SESSION_SETUP =
            "SET time_zone = '+00:00', NAMES utf8mb4, sql_mode ="
                    + " 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO,"
                    + "ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_IN_DATE,NO_ZERO_DATE'";

    /**
     * Reads the endpoint from a validated configuration.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the URL is not a MySQL or
     *     MariaDB JDBC URL naming a database
     */
    public static MySqlEndpoint of(Config config) {
        String url = config.get(MySqlOptions.URL);
        Matcher m = url == null ? null : URL.matcher(url);
        if (m == null || !m.matches()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'url' is '"
                            + url
                            + "' but must be a MySQL or MariaDB JDBC URL naming a database, such"
                            + " as jdbc:mysql://localhost:3306/shop");
        }
        String query = m.group(4) == null ? "" : m.group(4);
        if (query.matches("(?i).*[?&](user|password)=.*")) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'url' carries credentials; set them with 'user' and 'password' instead, so"
                            + " that the password is kept secret");
        }
        String host = m.group(1);
        int port = m.group(2) == null ? 3306 : Integer.parseInt(m.group(2));
        return new MySqlEndpoint(
                "jdbc:mariadb://" + host + ":" + port + "/" + m.group(3) + query,
                host,
                port,
                m.group(3),
                config.get(MySqlOptions.USER),
                config.get(MySqlOptions.PASSWORD),
                (int) Math.max(1, config.get(MySqlOptions.CONNECT_TIMEOUT).toSeconds()));
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * Opens a connection with the session set up for Siphon (UTC, strict, utf8mb4), in auto-commit
     * mode.
     *
     * @throws SiphonException with the code {@link MySqlErrors#connectFailure} gives
     */
    public Connection connect() {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds * 1000));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectionAttributes", "program_name:siphon");
        // The sink's LOAD DATA LOCAL hands the driver a stream; the driver sends no file of its own
        // unless the statement named it.
        props.setProperty("allowLocalInfile", "true");
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw MySqlErrors.connectFailure(e, this);
        }
        try (Statement s = connection.createStatement()) {
            s.execute(SESSION_SETUP);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw MySqlErrors.translate(e, "setting up a session on " + address());
        }
    }

    /** Which member of the family the server of an open connection is. */
    public static ServerFlavor flavor(Connection connection) throws SQLException {
        return ServerFlavor.ofVersion(connection.getMetaData().getDatabaseProductVersion());
    }

    /** Closes a connection that may already be broken, without throwing. */
    public static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // The connection is being abandoned; the server ends the session when the socket goes.
        }
    }

    /** The endpoint without its password, for logs. */
    @Override
    public String toString() {
        return "mysql " + user + "@" + address() + "/" + database;
    }
}
