package io.siphon.connector.mysql;

import io.siphon.model.TableId;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SourceConformanceSuite;
import io.siphon.testkit.conformance.TypeMatrix;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MySQL connector passes the source conformance suite on MariaDB 11.4 (server zone +08:00, JVM
 * zone America/New_York): snapshot and binlog stream read the type matrix alike, and the stream
 * carries the suite's changes, schema changes and keyless tables (full row images).
 */
class MySqlSourceConformanceIT extends SourceConformanceSuite {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected ConnectorUnderTest underTest() {
        return new MariaDbUnderTest(MARIADB, Map.of("heartbeat-interval", "1s"));
    }

    /**
     * Every MySQL type family the source decodes, one row of values at their edges and one NULL.
     */
    @Override
    protected TypeMatrix typeMatrix(String database) {
        TableId table = TableId.of(database, "types");
        return new TypeMatrix(
                table,
                List.of(
                        "CREATE TABLE "
                                + table
                                + " (id INT PRIMARY KEY, flag TINYINT(1), i8 TINYINT,"
                                + " u8 TINYINT UNSIGNED, u32 INT UNSIGNED, i64 BIGINT,"
                                + " u64 BIGINT UNSIGNED, dec65 DECIMAL(65,30), f FLOAT, d DOUBLE,"
                                + " bits BIT(10), y YEAR, day DATE, span TIME(6),"
                                + " wall DATETIME(6), instant TIMESTAMP(6) NULL,"
                                + " name VARCHAR(40), latin VARCHAR(20) CHARACTER SET latin1,"
                                + " body TEXT, bin VARBINARY(16), fixed BINARY(4), blob_ BLOB,"
                                + " mood ENUM('sad','ok','happy'), tags SET('x','y','z'), doc JSON)",
                        "SET time_zone = '+08:00'",
                        "INSERT INTO "
                                + table
                                + " VALUES (1, 1, -128, 255, 4294967295, -9223372036854775808,"
                                + " 18446744073709551615,"
                                + " 12345678901234567890123456789012345.123456789012345678901234567890,"
                                + " 1.5, -2.25e300, b'1010101010', 2155, '1000-01-01',"
                                + " '-838:59:59.000000', '9999-12-31 23:59:59.999999',"
                                + " '2038-01-19 11:14:07.999999', 'caf\u00e9 \uD83D\uDE00',"
                                + " 'd\u00e9j\u00e0', REPEAT('long ', 100), x'00ff10',"
                                + " x'0102', x'deadbeef', 'happy', 'x,z',"
                                + " '{\"a\": [1, 2.5, null], \"b\": \"\u00e9\"}')",
                        "INSERT INTO "
                                + table
                                + " VALUES (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'0', 1901,"
                                + " '2024-02-29', '838:59:59.999999', '2024-03-10 02:30:00',"
                                + " '1970-01-01 08:00:01', '', '', '', x'', x'', x'', 'sad', '',"
                                + " '[]')",
                        "INSERT INTO " + table + " (id) VALUES (3)"),
                3);
    }
}
