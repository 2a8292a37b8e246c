package io.siphon.embedded;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** What every embedded server offers its users: JDBC access to its databases as its superuser. */
public sealed interface EmbeddedServer extends AutoCloseable permits PostgresServer, MariaDbServer {

    /** A JDBC URL for a database of this server. */
    String jdbcUrl(String database);

    /** The superuser the server was set up with (no password, loopback only). */
    String superuser();

    /** The product's name, for messages: {@code PostgreSQL}, {@code MariaDB}. */
    String product();

    /** Opens a connection to a database as the superuser; the caller closes it. */
    default Connection connect(String database) {
        try {
            return DriverManager.getConnection(jdbcUrl(database), superuser(), "");
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not connect to embedded " + product() + " database " + database,
                    e);
        }
    }

    /** Runs SQL statements (one per argument) in a database, auto-committed. */
    default void execute(String database, String... sql) {
        try (Connection c = connect(database);
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID, "SQL failed in " + database + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server and removes its files. */
    @Override
    void close();
}
