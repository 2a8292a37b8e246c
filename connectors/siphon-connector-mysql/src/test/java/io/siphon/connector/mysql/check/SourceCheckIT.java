package io.siphon.connector.mysql.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.mysql.MySqlConnectorFactory;
import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.embedded.MariaDbServer;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source's check on a real MariaDB: each setting and privilege it needs, with its fix. */
class SourceCheckIT {

    private static final TableFilter ALL = TableFilter.of(List.of(), List.of());

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Test
    void findsEveryMissingSettingAndPrivilegeWithItsFix() {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("chk");
        try (Connector root = connector(server, db, MariaDbServer.USER, null)) {
            assertThat(root.check(Usage.STREAM_SOURCE, ALL)).isEmpty();
            server.execute(
                    "mysql",
                    "SET GLOBAL binlog_format = 'MIXED'",
                    "SET GLOBAL binlog_row_image = 'MINIMAL'",
                    "SET GLOBAL binlog_row_metadata = 'MINIMAL'",
                    "SET GLOBAL binlog_expire_logs_seconds = 3600");
            try {
                assertThat(root.check(Usage.STREAM_SOURCE, ALL))
                        .extracting(Problem::code, Problem::message, Problem::fix)
                        .containsExactly(
                                problem(
                                        "binlog_format is MIXED, but the change stream needs ROW"
                                                + " (every change as its rows)",
                                        "Run: SET GLOBAL binlog_format = 'ROW';"),
                                problem(
                                        "binlog_row_image is MINIMAL, but the change stream needs"
                                                + " FULL (whole rows before and after a change)",
                                        "Run: SET GLOBAL binlog_row_image = 'FULL';"),
                                problem(
                                        "binlog_row_metadata is MINIMAL, but the change stream"
                                                + " needs FULL (column names and types)",
                                        "Run: SET GLOBAL binlog_row_metadata = 'FULL';"),
                                tuple(
                                        ErrorCode.SERVER_SETTING,
                                        "The server keeps its binary log for 3600 s only: a"
                                                + " pipeline stopped (or a snapshot running) for"
                                                + " longer loses its position and must copy the"
                                                + " data again",
                                        "Run: SET GLOBAL binlog_expire_logs_seconds = 604800; and"
                                                + " set it in the server's configuration file (a"
                                                + " week, or longer than the longest snapshot and"
                                                + " pause you expect)"));
                // A snapshot-only source needs none of it.
                assertThat(root.check(Usage.SOURCE, ALL)).isEmpty();
            } finally {
                server.execute(
                        "mysql",
                        "SET GLOBAL binlog_format = 'ROW'",
                        "SET GLOBAL binlog_row_image = 'FULL'",
                        "SET GLOBAL binlog_row_metadata = 'FULL'",
                        "SET GLOBAL binlog_expire_logs_seconds = 0");
            }
        }
        server.execute(
                "mysql",
                // The server sees TCP clients from 127.0.0.1 as localhost.
                "CREATE USER 'reader'@'localhost' IDENTIFIED BY 'secret'");
        // Without SELECT on the database it cannot even connect to it: it asks from elsewhere.
        try (Connector reader = connector(server, "information_schema", "reader", "secret")) {
            assertThat(reader.check(Usage.STREAM_SOURCE, ALL))
                    .extracting(Problem::code, Problem::fix)
                    .containsExactly(
                            tuple(
                                    ErrorCode.PERMISSION_DENIED,
                                    "Run: GRANT SELECT ON <database>.* TO 'reader'@'localhost';"),
                            tuple(
                                    ErrorCode.PERMISSION_DENIED,
                                    "Run: GRANT REPLICATION SLAVE ON *.* TO 'reader'@'localhost';"),
                            tuple(
                                    ErrorCode.PERMISSION_DENIED,
                                    "Run: GRANT BINLOG MONITOR ON *.* TO 'reader'@'localhost';"));
        }
        try (Connector reader = connector(server, db, "reader", "secret")) {
            List<String> script = reader.setupScript(Usage.STREAM_SOURCE, "shop", ALL);
            for (String statement : script) {
                if (!statement.startsWith("--") && !statement.startsWith("CREATE USER")) {
                    server.execute("mysql", statement.replace("'@'%'", "'@'localhost'"));
                }
            }
            assertThat(reader.check(Usage.STREAM_SOURCE, ALL)).isEmpty();
        }
    }

    @Test
    void onMySqlAStreamNeedsLockTablesOnTheDatabase() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("chk_lock");
        server.execute(
                "mysql",
                "CREATE USER 'locker'@'localhost' IDENTIFIED BY 'secret'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'locker'@'localhost'",
                "GRANT SELECT ON " + db + ".* TO 'locker'@'localhost'");
        // MariaDB reads a consistent snapshot's position and needs no lock: judged as MySQL.
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(db), "locker", "secret")) {
            assertThat(lockProblems(c))
                    .extracting(Problem::code, Problem::message, Problem::fix)
                    .containsExactly(
                            tuple(
                                    ErrorCode.PERMISSION_DENIED,
                                    "User locker may not LOCK TABLES in "
                                            + db
                                            + ", which MySQL needs to copy a table while the"
                                            + " stream runs (a new table, a re-snapshot, the rest"
                                            + " of a resumed snapshot): it holds the table's"
                                            + " writers off while the chunk is read between two"
                                            + " binary log positions",
                                    "Run: GRANT LOCK TABLES ON `"
                                            + db
                                            + "`.* TO 'locker'@'localhost';"));
            assertThat(SourceCheck.problems(c, Usage.SOURCE, "locker", ServerFlavor.MYSQL))
                    .isEmpty();
            assertThat(SourceCheck.problems(c, Usage.STREAM_SOURCE, "locker", ServerFlavor.MARIADB))
                    .noneMatch(p -> p.message().contains("LOCK TABLES"));
            server.execute("mysql", "GRANT LOCK TABLES ON " + db + ".* TO 'locker'@'localhost'");
            assertThat(lockProblems(c)).isEmpty();
        }
    }

    private static List<Problem> lockProblems(Connection c) throws Exception {
        return SourceCheck.problems(c, Usage.STREAM_SOURCE, "locker", ServerFlavor.MYSQL).stream()
                .filter(p -> p.message().contains("LOCK TABLES"))
                .toList();
    }

    private static org.assertj.core.groups.Tuple problem(String message, String fixStart) {
        return tuple(
                ErrorCode.SERVER_SETTING,
                message,
                fixStart
                        + " and set "
                        + fixStart.substring("Run: SET GLOBAL ".length(), fixStart.indexOf(" ="))
                        + "="
                        + fixStart.substring(fixStart.indexOf("'") + 1, fixStart.lastIndexOf("'"))
                        + " in the server's configuration file (sessions already open keep the"
                        + " old value until they reconnect)");
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private static Connector connector(
            MariaDbServer server, String db, String user, String password) {
        Map<String, String> options = new HashMap<>();
        options.put("url", server.jdbcUrl(db));
        options.put("user", user);
        if (password != null) {
            options.put("password", password);
        }
        return new MySqlConnectorFactory()
                .create(Config.of(options, MySqlOptions.ALL, List.of("type")));
    }
}
