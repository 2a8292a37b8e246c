package io.siphon.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MariaDbServerIT {

    @Test
    void startsWithRowBinlogFullImagesAndMetadataAServerIdAndANonUtcTimeZone() throws Exception {
        try (MariaDbServer server = MariaDbServer.start()) {
            Map<String, String> variables = variables(server);

            assertThat(variables)
                    .containsEntry("log_bin", "ON")
                    .containsEntry("binlog_format", "ROW")
                    .containsEntry("binlog_row_image", "FULL")
                    .containsEntry("binlog_row_metadata", "FULL")
                    .containsEntry("server_id", "1")
                    .containsEntry("time_zone", "+08:00")
                    .containsEntry("character_set_server", "utf8mb4");
            assertThat(variables.get("version")).startsWith("11.4.");
        }
    }

    @Test
    void restartKeepsTheDataAndThePortAndCloseRemovesTheFiles() throws Exception {
        Path directory;
        try (MariaDbServer server = MariaDbServer.start()) {
            directory = server.directory();
            String db = server.createDatabase("kept");
            server.execute(
                    db, "CREATE TABLE kept (id int PRIMARY KEY)", "INSERT INTO kept VALUES (7)");
            int port = server.port();

            server.restart();

            assertThat(server.port()).isEqualTo(port);
            try (Connection c = server.connect(db);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            assertThat(Files.exists(directory)).isTrue();
        }
        assertThat(Files.exists(directory)).isFalse();
    }

    private static Map<String, String> variables(MariaDbServer server) throws Exception {
        Map<String, String> variables = new HashMap<>();
        try (Connection c = server.connect("mysql");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW VARIABLES")) {
            while (rs.next()) {
                variables.put(rs.getString(1), rs.getString(2));
            }
        }
        return variables;
    }
}
