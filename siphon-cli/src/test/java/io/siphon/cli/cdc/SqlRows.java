package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.EmbeddedServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The rows a query answers, each as its values' text joined by {@code |}, for exact comparisons.
 */
final class SqlRows {

    private SqlRows() {}

    static List<String> of(EmbeddedServer server, String database, String sql) throws Exception {
        try (Connection c = server.connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                out.add(row.toString());
            }
            return out;
        }
    }

    /**
     * The rows, then each again with its leading key raised by {@code offset}: what a table holds
     * after its snapshot rows were written again while streaming under keys {@code offset} higher.
     */
    static List<String> withCopies(List<String> rows, int offset) {
        List<String> out = new ArrayList<>(rows);
        for (String row : rows) {
            int bar = row.indexOf('|');
            out.add((Integer.parseInt(row.substring(0, bar)) + offset) + row.substring(bar));
        }
        return out;
    }

    /**
     * Waits until the rows a query answers are exactly {@code expected}, in order (for a pipeline
     * to bring them), and fails with the difference after two minutes.
     */
    static void awaitExactly(
            EmbeddedServer server, String database, String sql, List<String> expected) {
        Awaitility.await("rows of " + database)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(of(server, database, sql))
                                        .containsExactlyElementsOf(expected));
    }
}
