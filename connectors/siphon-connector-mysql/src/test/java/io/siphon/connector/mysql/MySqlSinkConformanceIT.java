package io.siphon.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SinkConformanceSuite;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MySQL connector passes the sink conformance suite on MariaDB 11.4 (server zone +08:00, JVM
 * zone America/New_York), with instants as UTC {@code DATETIME}s, since the suite's reach beyond
 * 2038. Rows are read back with plain SQL. The suite loads empty tables with the default {@code
 * bulk-load: auto}, that is {@code LOAD DATA LOCAL INFILE}; both of the suite's type matrices are
 * also loaded into empty tables by each {@code bulk-load} choice.
 */
class MySqlSinkConformanceIT extends SinkConformanceSuite {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected ConnectorUnderTest underTest() {
        // The suite's instants span 1970-01-01T00:00Z to 9999, beyond TIMESTAMP's range.
        return new MariaDbUnderTest(MARIADB, Map.of("instant-type", "datetime"));
    }

    @Override
    protected List<Row> readBack(Connector connector, TableSchema table) {
        try (Connection c = MARIADB.server().connect(table.id().schema())) {
            return MySqlRows.read(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every value of both type matrices lands exactly when an empty table is bulk loaded, and by
     * the path chosen: the server counts one {@code LOAD DATA} per table with {@code load-data},
     * none with {@code insert}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"load-data", "insert"})
    void typeMatricesBulkLoadExactly(String bulkLoad) throws SQLException {
        String db = createDatabase("bulk_types");
        List<TableSchema> sources =
                List.of(
                        portableMatrix(table(db, "portable_types")),
                        otherSystemsMatrix(table(db, "other_types")));
        List<List<Row>> rows = List.of(portableRows(), otherSystemsRows());
        try (Connector c =
                new MariaDbUnderTest(
                                MARIADB, Map.of("instant-type", "datetime", "bulk-load", bulkLoad))
                        .connector(db)) {
            long loadsBefore = loads();
            for (int i = 0; i < sources.size(); i++) {
                TableSchema t = prepare(c, sources.get(i));
                try (SinkWriter w = c.sink().openWriter()) {
                    w.write(t, rows.get(i), WriteMode.BULK_APPEND);
                    w.flush();
                }
                assertThat(byId(readBack(c, t))).containsExactlyElementsOf(rows.get(i));
            }
            assertThat(loads() - loadsBefore).isEqualTo("insert".equals(bulkLoad) ? 0 : 2);
        }
    }

    /** How many {@code LOAD DATA} statements the server ran since it started. */
    private static long loads() throws SQLException {
        try (Connection c = MARIADB.server().connect("mysql");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_load'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
