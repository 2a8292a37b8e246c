package io.siphon.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    @Test
    void restartKeepsTheDataAndThePortAndCloseRemovesTheFiles() throws Exception {
        Path dataDir;
        try (PostgresServer server = PostgresServer.start()) {
            server.execute("postgres", "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (7)");
            int port = server.port();

            server.restart();

            assertThat(server.port()).isEqualTo(port);
            try (Connection c = server.connect("postgres");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            try (Connection c = server.connect("postgres");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW data_directory")) {
                rs.next();
                dataDir = Path.of(rs.getString(1));
            }
        }
        assertThat(Files.exists(dataDir)).isFalse();
    }
}
