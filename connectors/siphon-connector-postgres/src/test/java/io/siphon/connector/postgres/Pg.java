package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.TableFilter;
import io.siphon.spi.WriteMode;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small named steps the integration tests are written in. */
public final class Pg {

    private Pg() {}

    /** A connector to a database of the embedded server, as the superuser. */
    public static PostgresConnector connector(PostgresServer server, String database) {
        return connector(server.jdbcUrl(database), PostgresServer.USER, null);
    }

    /** A connector with explicit settings. */
    public static PostgresConnector connector(String url, String user, String password) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", url);
        raw.put("user", user);
        if (password != null) {
            raw.put("password", password);
        }
        raw.put("connect-timeout", "3s");
        return (PostgresConnector)
                new PostgresConnectorFactory()
                        .create(Config.of(raw, PostgresOptions.ALL, List.of("type")));
    }

    /** The rows a query returns, each as its values joined by {@code |}, NULL as {@code NULL}. */
    public static List<String> rows(PostgresServer server, String database, String sql)
            throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect(database);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i) == null ? "NULL" : rs.getString(i));
                }
                out.add(String.join("|", values));
            }
        }
        return out;
    }

    /** A filter of table patterns. */
    public static TableFilter tables(String... patterns) {
        return TableFilter.of(List.of(patterns), List.of());
    }

    /** The one table a pattern names, discovered. */
    public static TableSchema discover(PostgresConnector source, TableId table) {
        List<TableSchema> found =
                source.discover(
                        tables(TableId.quote(table.schema()) + "." + TableId.quote(table.table())));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Reads every split of a table at one exported read point. */
    public static List<Row> readAll(PostgresConnector source, TableSchema table, int chunkRows) {
        SnapshotSource snapshot = source.snapshotSource();
        try (ReadPoint point = snapshot.openReadPoint()) {
            return readSplits(source, table, snapshot.planSplits(table, chunkRows), point.token());
        }
    }

    /** Reads the given splits, each with its own reader, at a read point token. */
    public static List<Row> readSplits(
            PostgresConnector source, TableSchema table, List<SnapshotSplit> splits, String token) {
        List<Row> rows = new ArrayList<>();
        for (SnapshotSplit split : splits) {
            try (SplitReader reader =
                    source.snapshotSource().openSplit(table, split, token, 1000)) {
                for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
                    assertThat(batch.table()).isEqualTo(table.id());
                    rows.addAll(batch.rows());
                }
            }
        }
        return rows;
    }

    /** Prepares a target table and writes rows into it in one flushed transaction. */
    public static PreparedTable copy(
            PostgresConnector sink,
            TableSchema source,
            TableId target,
            List<Row> rows,
            WriteMode mode) {
        PreparedTable prepared = sink.sink().prepareTable(source, target, "postgres");
        try (SinkWriter writer = sink.sink().openWriter()) {
            writer.write(prepared.schema(), rows, mode);
            writer.flush();
        }
        return prepared;
    }

    /** Compares two tables of the embedded server exactly. */
    public static Comparison compare(
            PostgresServer server, String leftDb, TableId left, String rightDb, TableId right)
            throws Exception {
        try (Connection l = server.connect(leftDb);
                Connection r = server.connect(rightDb)) {
            return TableComparator.compare(l, left, r, right);
        }
    }
}
