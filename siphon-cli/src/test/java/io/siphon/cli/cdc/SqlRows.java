package io.siphon.cli.cdc;

import io.siphon.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a query answers, each as its values' text joined by {@code |}, for exact comparisons.
 */
final class SqlRows {

    private SqlRows() {}

    static List<String> of(PostgresServer server, String database, String sql) throws Exception {
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
}
