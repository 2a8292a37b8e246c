package io.siphon.connector.mysql.check;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.spi.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL a DBA runs so that Siphon reads a MySQL or MariaDB source as a user of its own: the user,
 * {@code SELECT} on the database, and for a change stream the replication privileges and the binary
 * log settings (which also belong in the server's configuration file, or a restart undoes them).
 * {@code REPLICATION CLIENT} is MariaDB's alias of {@code BINLOG MONITOR}, so one script serves
 * both; {@code LOCK TABLES} is needed by MySQL only (to copy a table while streaming) and harmless
 * on MariaDB.
 */
public final class SourceSetupScript {

    private SourceSetupScript() {}

    /** The statements, with comment lines, for a source of {@code usage}. */
    public static List<String> of(MySqlEndpoint endpoint, Usage usage, String pipeline) {
        String user = endpoint.user() == null ? "siphon" : endpoint.user();
        String account = "'" + user.replace("'", "''") + "'@'%'";
        List<String> out = new ArrayList<>();
        out.add(
                "-- Siphon, source of pipeline "
                        + pipeline
                        + ": database "
                        + endpoint.database()
                        + " at "
                        + endpoint.address()
                        + ". Run as an administrator; replace the password.");
        out.add("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '<password>';");
        out.add("-- Reads the tables (add a line per other database the pipeline takes).");
        out.add(
                "GRANT SELECT ON `"
                        + endpoint.database().replace("`", "``")
                        + "`.* TO "
                        + account
                        + ";");
        if (usage != Usage.STREAM_SOURCE) {
            return out;
        }
        out.add("-- Reads the binary log as a replica would, and its position and files.");
        out.add("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + account + ";");
        out.add(
                "-- MySQL: holds a table's writers off while a chunk of it is copied during the"
                        + " stream (MariaDB reads a consistent snapshot instead).");
        out.add(
                "GRANT LOCK TABLES ON `"
                        + endpoint.database().replace("`", "``")
                        + "`.* TO "
                        + account
                        + ";");
        out.add(
                "-- Every change as whole rows with column names. Put the same settings in the"
                        + " [mysqld] section of the configuration file (with log-bin, if the binary"
                        + " log is off: that needs a restart).");
        out.add("SET GLOBAL binlog_format = 'ROW';");
        out.add("SET GLOBAL binlog_row_image = 'FULL';");
        out.add("SET GLOBAL binlog_row_metadata = 'FULL';");
        out.add(
                "-- Keep the binary log longer than a pipeline may be stopped or a snapshot may"
                        + " take (here a week).");
        out.add("SET GLOBAL binlog_expire_logs_seconds = 604800;");
        return out;
    }
}
