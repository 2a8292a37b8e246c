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
     *     PostgreSQL JDBC URL, or carries credentials or parameters outside {@link
     *     UrlParameters#ALLOWED}
     */
    public static PostgresEndpoint of(Config config) {
        String url = config.get(PostgresOptions.URL);
        if (url != null) {
            UrlParameters.check(url);
        }
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
     * The session setup of every connection: an empty {@code search_path}, so that every name in
     * SQL and in catalog output is schema-qualified; and fixed settings for every text form the
     * server writes, so that the same value always has the same text whatever the server's, the
     * role's or the JVM's defaults: UTC for instants inside text forms (ranges, composites), the
     * {@code postgres} interval style the sink writes, shortest exact floats, hex bytea, and the C
     * locale's money format. The snapshot reads and the change stream both rely on it to produce
     * equal values.
     */
    /** PostgreSQL cuts names, {@code application_name} among them, to this many bytes. */
    private static final int MAX_NAME_BYTES = 63;

    private static final String SESSION_SETUP =
            "SELECT pg_catalog.set_config('search_path', '', false),"
                    + " pg_catalog.set_config('timezone', 'UTC', false),"
                    + " pg_catalog.set_config('datestyle', 'ISO, MDY', false),"
                    + " pg_catalog.set_config('intervalstyle', 'postgres', false),"
                    + " pg_catalog.set_config('extra_float_digits', '3', false),"
                    + " pg_catalog.set_config('bytea_output', 'hex', false),"
                    + " pg_catalog.set_config('lc_monetary', 'C', false)";

    /**
     * Opens a connection with the session set up for Siphon: an empty {@code search_path} and fixed
     * text forms (UTC, ISO dates, {@code postgres} intervals, shortest exact floats, hex bytea, the
     * C locale's money).
     *
     * @throws SiphonException with the code {@link PostgresErrors#connectFailure} gives
     */
    public Connection connect() {
        return open(baseProperties(), "setting up a session on " + address());
    }

    /**
     * Opens a logical replication connection ({@code replication=database}) with the same session
     * setup as {@link #connect()}: it runs replication commands ({@code CREATE_REPLICATION_SLOT},
     * {@code START_REPLICATION}) and simple SQL, and the text values it streams are written in the
     * same forms a snapshot reads.
     *
     * @throws SiphonException with the code {@link PostgresErrors#connectFailure} gives
     */
    public Connection connectForReplication() {
        Properties props = baseProperties();
        PGProperty.REPLICATION.set(props, "database");
        // The replication protocol accepts only simple queries, and no extra round trips at
        // startup that would ask the server for its version.
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "12");
        // Who holds a replication slot is what pg_stat_activity says of its walsender: a second
        // copy of a pipeline names the first by it.
        PGProperty.APPLICATION_NAME.set(props, replicationClient());
        return open(props, "setting up a replication session on " + address());
    }

    /**
     * The {@code application_name} of this process's replication connections, {@code
     * siphon@<host>:<pid>}, cut to PostgreSQL's 63 bytes.
     */
    public static String replicationClient() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        String pid = ":" + ProcessHandle.current().pid();
        String name = "siphon@" + host;
        return (name.length() + pid.length() > MAX_NAME_BYTES
                        ? name.substring(0, MAX_NAME_BYTES - pid.length())
                        : name)
                + pid;
    }

    private Properties baseProperties() {
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
        return props;
    }

    private Connection open(Properties props, String setupAction) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw PostgresErrors.connectFailure(e, this);
        }
        try (Statement s = connection.createStatement()) {
            s.execute(SESSION_SETUP);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw PostgresErrors.translate(e, setupAction);
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
