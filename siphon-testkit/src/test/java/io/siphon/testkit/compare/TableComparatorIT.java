package io.siphon.testkit.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TableComparatorIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId LEFT = TableId.of("public", "l");
    private static final TableId RIGHT = TableId.of("public", "r");

    private String databaseWith(String... rightRows) {
        String db = PG.server().createDatabase("cmp");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE l (id int PRIMARY KEY, name text, price numeric)",
                        "CREATE TABLE r (id int PRIMARY KEY, name text, price numeric)",
                        "INSERT INTO l VALUES (1, 'a', 1.50), (2, NULL, 2), (3, 'c', NULL)");
        for (String row : rightRows) {
            PG.server().execute(db, "INSERT INTO r VALUES " + row);
        }
        return db;
    }

    @Test
    void equalTablesHaveEqualHashes() throws Exception {
        String db = databaseWith("(3, 'c', NULL)", "(1, 'a', 1.50)", "(2, NULL, 2)");
        try (Connection c = PG.server().connect(db)) {
            Comparison result = TableComparator.compare(c, LEFT, c, RIGHT);
            assertThat(result.equal()).isTrue();
            assertThat(result.leftRows()).isEqualTo(3);
            assertThat(result.differences()).isEmpty();
        }
    }

    @Test
    void reportsTheKeyAndColumnOfADifferingValue() throws Exception {
        String db = databaseWith("(1, 'a', 1.5)", "(2, NULL, 2)", "(3, 'c', NULL)");
        try (Connection c = PG.server().connect(db)) {
            Comparison result = TableComparator.compare(c, LEFT, c, RIGHT);
            assertThat(result.equal()).isFalse();
            assertThat(result.differences()).containsExactly("(id)=(1) differs in [price]");
        }
    }

    @Test
    void nullAndEmptyTextAreDifferent() throws Exception {
        String db = databaseWith("(1, 'a', 1.50)", "(2, '', 2)", "(3, 'c', NULL)");
        try (Connection c = PG.server().connect(db)) {
            assertThat(TableComparator.compare(c, LEFT, c, RIGHT).differences())
                    .containsExactly("(id)=(2) differs in [name]");
        }
    }

    @Test
    void reportsAMissingRow() throws Exception {
        String db = databaseWith("(1, 'a', 1.50)", "(2, NULL, 2)");
        try (Connection c = PG.server().connect(db)) {
            Comparison result = TableComparator.compare(c, LEFT, c, RIGHT);
            assertThat(result.rightRows()).isEqualTo(2);
            assertThat(result.differences())
                    .containsExactly("left (id)=(3) vs right (no more rows)");
        }
    }
}
