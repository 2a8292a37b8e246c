package io.siphon.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableComparatorIT {

    // The test kit's JUnit extension depends on this module, so the server is started by hand here.
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static final TableId LEFT = TableId.of("public", "l");
    private static final TableId RIGHT = TableId.of("public", "r");

    private String databaseWith(String... rightRows) {
        String db = server.createDatabase("cmp");
        server.execute(
                db,
                "CREATE TABLE l (id int PRIMARY KEY, name text, price numeric)",
                "CREATE TABLE r (id int PRIMARY KEY, name text, price numeric)",
                "INSERT INTO l VALUES (1, 'a', 1.50), (2, NULL, 2), (3, 'c', NULL)");
        for (String row : rightRows) {
            server.execute(db, "INSERT INTO r VALUES " + row);
        }
        return db;
    }

    @Test
    void equalTablesHaveEqualHashes() throws Exception {
        String db = databaseWith("(3, 'c', NULL)", "(1, 'a', 1.50)", "(2, NULL, 2)");
        try (Connection c = server.connect(db)) {
            Comparison result = TableComparator.compare(c, LEFT, c, RIGHT);
            assertThat(result.equal()).isTrue();
            assertThat(result.leftRows()).isEqualTo(3);
            assertThat(result.differences()).isEmpty();
        }
    }

    @Test
    void reportsTheKeyAndColumnOfADifferingValue() throws Exception {
        String db = databaseWith("(1, 'a', 1.5)", "(2, NULL, 2)", "(3, 'c', NULL)");
        try (Connection c = server.connect(db)) {
            Comparison result = TableComparator.compare(c, LEFT, c, RIGHT);
            assertThat(result.equal()).isFalse();
            assertThat(result.differences()).containsExactly("(id)=(1) differs in [price]");
        }
    }

    @Test
    void nullAndEmptyTextAreDifferent() throws Exception {
        String db = databaseWith("(1, 'a', 1.50)", "(2, '', 2)", "(3, 'c', NULL)");
        try (Connection c = server.connect(db)) {
            assertThat(TableComparator.compare(c, LEFT, c, RIGHT).differences())
                    .containsExactly("(id)=(2) differs in [name]");
        }
    }

    @Test
    void reportsAMissingRow() throws Exception {
        String db = databaseWith("(1, 'a', 1.50)", "(2, NULL, 2)");
        try (Connection c = server.connect(db)) {
            Comparison result = TableComparator.compare(c, LEFT, c, RIGHT);
            assertThat(result.rightRows()).isEqualTo(2);
            assertThat(result.differences())
                    .containsExactly("left (id)=(3) vs right (no more rows)");
        }
    }
}
