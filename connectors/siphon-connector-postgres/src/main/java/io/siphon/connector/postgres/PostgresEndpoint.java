package io.siphon.connector.postgres;

import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The server and credentials of one configured connector, and the one way this connector opens a
 * connection to it. Every connection gets the same session setup, so that text forms and catalog
 * names are the same for the reader, the planner and the writer.
 *
 * @param url the JDBC URL as configured
 * @param host the first host named in the URL, for messages
 * @param port the port named in the URL (5432 when absent), for messages
 * @param database the database named in the URL
 * @param user the user, or null for pgjdbc's default
 * @param password the password, or null
 * @param connectTimeoutSeconds how long to wait for the server to accept a connection
 */
public record PostgresEndpoint(
        String url,
        String host,
        int port,
        String database,
        String user,
        String password,
        int connectTimeoutSeconds)
        implements Serializable {

    /**
     * Reads the endpoint from a validated configuration.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the URL is not a
     *     PostgreSQL JDBC URL
     */
    public static PostgresEndpoint of(Config config) {
        String url = config.get(PostgresOptions.URL);
        Properties parsed = url == null ? null : Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'url' is '"
                            + url
                            + "' but must be a PostgreSQL JDBC URL such as"
                            + " jdbc:postgresql://localhost:5432/mydb");
        }
        String host = PGProperty.PG_HOST.getOrDefault(parsed);
        String port = PGProperty.PG_PORT.getOrDefault(parsed);
        String database = PGProperty.PG_DBNAME.getOrDefault(parsed);
        return new PostgresEndpoint(
                url,
                host == null ? "localhost" : host.split(",")[0],
                port == null ? 5432 : Integer.parseInt(port.split(",")[0]),
                database,
                config.get(PostgresOptions.USER),
                config.get(PostgresOptions.PASSWORD),
                (int) Math.max(1, config.get(PostgresOptions.CONNECT_TIMEOUT).toSeconds()));
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * Opens a connection with the session set up for Siphon: an empty {@code search_path}, so that
     * every name in SQL and in catalog output is schema-qualified, and the {@code postgres}
     * interval style that the sink's interval text is written in.
     *
     * @throws SiphonException with the code {@link PostgresErrors#connectFailure} gives
     */
    public Connection connect() {
        Properties props = new Properties();
        if (user != null) {
            PGProperty.USER.set(props, user);
        }
        if (password != null) {
            PGProperty.PASSWORD.set(props, password);
        }
        PGProperty.CONNECT_TIMEOUT.set(props, connectTimeoutSeconds);
        PGProperty.LOGIN_TIMEOUT.set(props, connectTimeoutSeconds);
        PGProperty.APPLICATION_NAME.set(props, "siphon");
        PGProperty.TCP_KEEP_ALIVE.set(props, true);
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw PostgresErrors.connectFailure(e, this);
        }
        try (Statement s = connection.createStatement()) {
            s.execute(
                    "SELECT pg_catalog.set_config('search_path', '', false),"
                            + " pg_catalog.set_config('intervalstyle', 'postgres', false)");
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw PostgresErrors.translate(e, "setting up a session on " + address());
        }
    }

    /** Closes a connection that may already be broken, without throwing. */
    public static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // The connection is being abandoned; a failure to close it changes nothing for the
            // caller, and the server ends the session when the socket goes.
        }
    }

    /** The endpoint without its password, for logs. */
    @Override
    public String toString() {
        return "postgres " + user + "@" + address() + "/" + database;
    }
}
