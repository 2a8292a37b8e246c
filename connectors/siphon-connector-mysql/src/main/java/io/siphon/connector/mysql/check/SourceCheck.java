package io.siphon.connector.mysql.check;

import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.Usage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a MySQL or MariaDB source needs of the server, each problem with the statement that fixes
 * it: for a change stream the binary log on, in row format with full row images and full row
 * metadata, kept long enough, and the replication privileges; for any source {@code SELECT}. On
 * MySQL a change stream also needs {@code LOCK TABLES}: a table copied while the stream runs is
 * read under {@code LOCK TABLES ... READ} there, since MySQL gives no binary log position of a
 * consistent snapshot as MariaDB does.
 */
public final class SourceCheck {

    /**
     * The shortest binary log retention accepted: a pipeline stopped for longer than the server
     * keeps its log loses its position, and a day is the least a weekend-free operator needs.
     */
    public static final Duration MIN_RETENTION = Duration.ofDays(1);

    private SourceCheck() {}

    /** Every problem of the server for a source of {@code usage}. */
    public static List<Problem> problems(Connection c, Usage usage, String user)
            throws SQLException {
        return problems(c, usage, user, ServerFlavor.ofVersion(single(c, "SELECT VERSION()")));
    }

    /** Every problem of the server for a source of {@code usage}, as a server of {@code flavor}. */
    static List<Problem> problems(Connection c, Usage usage, String user, ServerFlavor flavor)
            throws SQLException {
        List<Problem> out = new ArrayList<>();
        String grants = grants(c);
        if (!hasPrivilege(grants, "SELECT")) {
            out.add(
                    new Problem(
                            ErrorCode.PERMISSION_DENIED,
                            "User " + user + " may not SELECT the tables",
                            "Run: GRANT SELECT ON <database>.* TO " + account(c) + ";"));
        }
        if (usage != Usage.STREAM_SOURCE) {
            return out;
        }
        boolean mariaDb = flavor == ServerFlavor.MARIADB;
        if (!"ON".equalsIgnoreCase(variable(c, "log_bin")) && !"1".equals(variable(c, "log_bin"))) {
            out.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            "The binary log is off",
                            "Add log-bin, binlog_format=ROW, binlog_row_image=FULL and"
                                    + " binlog_row_metadata=FULL to the [mysqld] section of the"
                                    + " server's configuration file and restart it"));
            return out;
        }
        requireSetting(c, out, "binlog_format", "ROW", "every change as its rows");
        requireSetting(c, out, "binlog_row_image", "FULL", "whole rows before and after a change");
        String metadata = variable(c, "binlog_row_metadata");
        if (metadata == null) {
            out.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            "The server has no binlog_row_metadata, so its binary log lacks column"
                                    + " names",
                            "Upgrade to MySQL 8.0.1+ or MariaDB 10.5+"));
        } else {
            requireSetting(c, out, "binlog_row_metadata", "FULL", "column names and types");
        }
        if (!hasPrivilege(grants, "REPLICATION SLAVE")) {
            out.add(
                    new Problem(
                            ErrorCode.PERMISSION_DENIED,
                            "User " + user + " may not read the binary log (REPLICATION SLAVE)",
                            "Run: GRANT REPLICATION SLAVE ON *.* TO " + account(c) + ";"));
        }
        String client = mariaDb ? "BINLOG MONITOR" : "REPLICATION CLIENT";
        if (!hasPrivilege(grants, client) && !hasPrivilege(grants, "REPLICATION CLIENT")) {
            out.add(
                    new Problem(
                            ErrorCode.PERMISSION_DENIED,
                            "User "
                                    + user
                                    + " may not read the binary log's position ("
                                    + client
                                    + ")",
                            "Run: GRANT " + client + " ON *.* TO " + account(c) + ";"));
        }
        String database = c.getCatalog();
        if (!mariaDb
                && database != null
                && !hasDatabasePrivilege(grants, "LOCK TABLES", database)) {
            out.add(
                    new Problem(
                            ErrorCode.PERMISSION_DENIED,
                            "User "
                                    + user
                                    + " may not LOCK TABLES in "
                                    + database
                                    + ", which MySQL needs to copy a table while the stream runs"
                                    + " (a new table, a re-snapshot, the rest of a resumed"
                                    + " snapshot): it holds the table's writers off while the"
                                    + " chunk is read between two binary log positions",
                            "Run: GRANT LOCK TABLES ON `"
                                    + database.replace("`", "``")
                                    + "`.* TO "
                                    + account(c)
                                    + ";"));
        }
        Duration retention = retention(c);
        if (retention != null && retention.compareTo(MIN_RETENTION) < 0) {
            out.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            "The server keeps its binary log for "
                                    + retention.toSeconds()
                                    + " s only: a pipeline stopped (or a snapshot running) for"
                                    + " longer loses its position and must copy the data again",
                            "Run: SET GLOBAL binlog_expire_logs_seconds = 604800; and set it in"
                                    + " the server's configuration file (a week, or longer than"
                                    + " the longest snapshot and pause you expect)"));
        }
        return out;
    }

    /**
     * How long the server keeps binary logs; null for ever. {@code binlog_expire_logs_seconds}
     * (MySQL 8, MariaDB 10.6+) wins over {@code expire_logs_days} when set.
     */
    static Duration retention(Connection c) throws SQLException {
        String seconds = variable(c, "binlog_expire_logs_seconds");
        if (seconds != null && Long.parseLong(seconds) > 0) {
            return Duration.ofSeconds(Long.parseLong(seconds));
        }
        String days = variable(c, "expire_logs_days");
        if (days != null && Double.parseDouble(days) > 0) {
            return Duration.ofSeconds((long) (Double.parseDouble(days) * 86_400));
        }
        return null;
    }

    private static void requireSetting(
            Connection c, List<Problem> out, String name, String wanted, String why)
            throws SQLException {
        String value = variable(c, name);
        if (value != null && !wanted.equalsIgnoreCase(value)) {
            out.add(
                    new Problem(
                            ErrorCode.SERVER_SETTING,
                            name
                                    + " is "
                                    + value
                                    + ", but the change stream needs "
                                    + wanted
                                    + " ("
                                    + why
                                    + ")",
                            "Run: SET GLOBAL "
                                    + name
                                    + " = '"
                                    + wanted
                                    + "'; and set "
                                    + name
                                    + "="
                                    + wanted
                                    + " in the server's configuration file (sessions already"
                                    + " open keep the old value until they reconnect)"));
        }
    }

    /** Whether a global grant or one on {@code database} has the privilege. */
    static boolean hasDatabasePrivilege(String grants, String privilege, String database) {
        if (hasPrivilege(grants, privilege)) {
            return true;
        }
        String quoted = " ON `" + database.replace("`", "``").toUpperCase(Locale.ROOT) + "`.* ";
        for (String line : grants.split("\n")) {
            int on = line.indexOf(" ON ");
            if (line.startsWith("GRANT ")
                    && on > 0
                    && line.startsWith(quoted, on)
                    && lists(line.substring("GRANT ".length(), on), privilege)) {
                return true;
            }
        }
        return false;
    }

    /** The current user's grants, upper case, one per line. */
    private static String grants(Connection c) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                out.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
            }
        }
        return out.toString();
    }

    /** Whether a global grant ({@code ON *.*}) or, for SELECT, any grant has the privilege. */
    static boolean hasPrivilege(String grants, String privilege) {
        for (String line : grants.split("\n")) {
            if (!line.startsWith("GRANT ")) {
                continue;
            }
            int on = line.indexOf(" ON ");
            if (on < 0) {
                continue;
            }
            String privileges = line.substring("GRANT ".length(), on);
            boolean global = line.substring(on).startsWith(" ON *.*");
            if (!global && !privilege.equals("SELECT")) {
                continue;
            }
            if (lists(privileges, privilege)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a grant's list of privileges holds {@code privilege}, or all of them. */
    private static boolean lists(String privileges, String privilege) {
        if (privileges.contains("ALL PRIVILEGES")) {
            return true;
        }
        for (String p : privileges.split(",")) {
            if (p.strip().equals(privilege)) {
                return true;
            }
        }
        return false;
    }

    private static String account(Connection c) throws SQLException {
        String user = single(c, "SELECT CURRENT_USER()");
        int at = user.lastIndexOf('@');
        return at < 0
                ? "'" + user + "'"
                : "'" + user.substring(0, at) + "'@'" + user.substring(at + 1) + "'";
    }

    private static String variable(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
