package io.siphon.connector.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.mysql.MySqlConnectorFactory;
import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.embedded.MariaDbServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.TableFilter;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The snapshot reads every type as the binlog stream decodes it, in chunks that cover the table.
 */
class MySqlSnapshotSourceIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Test
    void snapshotRowsEqualTheStreamsRowsForEveryType() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("snap");
        server.execute(
                db,
                "CREATE TABLE t (id BIGINT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED,"
                        + " i INT UNSIGNED, biu BIGINT UNSIGNED, d DECIMAL(65,30), f FLOAT,"
                        + " dbl DOUBLE, b BIT(10), bo BOOL, y YEAR, dt DATE, tm TIME(6),"
                        + " dtm DATETIME(6), ts TIMESTAMP(3) NULL, s VARCHAR(20),"
                        + " l VARCHAR(20) CHARACTER SET latin1, c CHAR(5), bin BINARY(4),"
                        + " bl BLOB, e ENUM('a','b'), st SET('x','y','z'), j JSON, g GEOMETRY)");
        try (Connector connector =
                new MySqlConnectorFactory()
                        .create(
                                Config.of(
                                        Map.of("url", server.jdbcUrl(db), "user", "root"),
                                        MySqlOptions.ALL,
                                        List.of("type")))) {
            TableSchema schema =
                    connector.discover(TableFilter.of(List.of(db + ".t"), List.of())).get(0);
            var stream = connector.streamSource();
            var start = stream.prepare("snap", List.of(schema), null, true).start();
            List<String> inserts = new ArrayList<>();
            inserts.add("SET time_zone = '+08:00'");
            for (int id = 1; id <= 25; id++) {
                inserts.add(
                        "INSERT INTO t VALUES ("
                                + id * 7
                                + ", -128, 255, 4294967295, 18446744073709551615,"
                                + " -12345678901234567890123456789012345.123456789012345678901234567890,"
                                + " 1.5, -2.25e300, b'1000000001', TRUE, 2024, '2024-02-29',"
                                + " '-838:59:59.000001', '2024-03-10 02:30:00.654321',"
                                + " '2024-01-02 03:04:05.123', 'h\u00e9llo \uD83D\uDE00',"
                                + " 'caf\u00e9', 'ab', x'0102', x'00ff', 'b', 'x,z',"
                                + " '{\"k\": [1, \"\u00e9\"]}', ST_GeomFromText('LINESTRING(0 0,1.5 2)', 4326))");
            }
            inserts.add("INSERT INTO t (id) VALUES (1000)");
            server.execute(db, inserts.toArray(String[]::new));
            List<Row> streamed = new ArrayList<>();
            try (ChangeStream changes = stream.open("snap", List.of(schema), start, Set.of())) {
                while (streamed.size() < 26) {
                    for (ChangeEvent e : changes.poll(Duration.ofMillis(500))) {
                        streamed.add(((ChangeEvent.Insert) e).after());
                    }
                }
            }
            var snapshot = connector.snapshotSource();
            List<SnapshotSplit> splits = snapshot.planSplits(schema, 10);
            assertThat(splits).hasSizeGreaterThan(2);
            assertThat(splits.get(0).lower()).isNull();
            assertThat(splits.get(splits.size() - 1).upper()).isNull();
            List<Row> read = new ArrayList<>();
            try (ReadPoint point = snapshot.openReadPoint()) {
                for (SnapshotSplit split : splits) {
                    try (SplitReader reader = snapshot.openSplit(schema, split, point.token(), 7)) {
                        for (RowBatch b = reader.next(); b != null; b = reader.next()) {
                            assertThat(b.table()).isEqualTo(TableId.of(db, "t"));
                            read.addAll(b.rows());
                        }
                    }
                }
            }
            assertThat(read).containsExactlyInAnyOrderElementsOf(streamed);
            assertThat(read).hasSize(26);
            // A wall clock in the JVM zone's DST gap (America/New_York) is read as written.
            assertThat(read)
                    .anyMatch(
                            r ->
                                    java.time.LocalDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000)
                                            .equals(r.get(schema.indexOf("dtm"))));
        }
    }
}
