package io.siphon.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The comparison between PostgreSQL and MariaDB, in both directions and between two MariaDB tables,
 * over the types a copy between them carries. The JVM runs in America/New_York (the build's test
 * time zone), PostgreSQL in Asia/Kolkata and MariaDB at +08:00: a value shifted by any of them
 * shows as a difference.
 */
class PortableComparisonIT {

    // The test kit's JUnit extensions depend on this module, so the servers are started by hand.
    private static PostgresServer postgres;
    private static MariaDbServer mariadb;

    private static final String MARIADB_TABLE =
            """
            CREATE TABLE %s (
                id INT PRIMARY KEY,
                small SMALLINT, big BIGINT, ubig BIGINT UNSIGNED, uint INT UNSIGNED,
                amount DECIMAL(12,3), real_v FLOAT, double_v DOUBLE,
                name VARCHAR(50), body TEXT, bin VARBINARY(16), blob_v BLOB,
                day DATE, at_time TIME(6), wall DATETIME(6), moment TIMESTAMP(6) NULL,
                doc JSON, flag BOOLEAN, uid CHAR(36))
            """;

    private static final String POSTGRES_TABLE =
            """
            CREATE TABLE %s (
                id int PRIMARY KEY,
                small smallint, big bigint, ubig numeric(20,0), uint bigint,
                amount numeric, real_v real, double_v double precision,
                name varchar(50), body text, bin bytea, blob_v bytea,
                day date, at_time time(6), wall timestamp(6), moment timestamptz(6),
                doc jsonb, flag boolean, uid uuid)
            """;

    // The same three rows in each system's literals. The wall-clock value falls in New York's
    // DST gap, and the instant is given in UTC on both sides.
    private static final String[] MARIADB_ROWS = {
        "(1, -32768, -9223372036854775808, 18446744073709551615, 4294967295, 123456789.125,"
                + " 3.1415927, 0.30000000000000004, 'héllo 😀', '𝄞 music', x'00ff10', x'deadbeef',"
                + " '2024-02-29', '23:59:59.999999', '2024-03-10 02:30:00.123456',"
                + " FROM_UNIXTIME(1704067200.5),"
                + " '{\"b\": [1, 2.50], \"a\": {\"z\": null, \"y\": true}}', true,"
                + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')",
        "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " NULL, NULL, NULL, NULL)",
        "(3, 0, 0, 0, 0, 2.5, -1.5e10, 1e300, '', '', x'', x'', '1970-01-01', '00:00:00',"
                + " '1999-12-31 23:59:59', FROM_UNIXTIME(0.000001), '[]', false,"
                + " '00000000-0000-0000-0000-000000000000')"
    };

    private static final String[] POSTGRES_ROWS = {
        "(1, -32768, -9223372036854775808, 18446744073709551615, 4294967295, 123456789.125,"
                + " 3.1415927, 0.30000000000000004, 'héllo 😀', '𝄞 music', '\\x00ff10',"
                + " '\\xdeadbeef', '2024-02-29', '23:59:59.999999', '2024-03-10 02:30:00.123456',"
                + " '2024-01-01 00:00:00.5+00',"
                + " '{\"a\": {\"y\": true, \"z\": null}, \"b\": [1.0, 2.5]}', true,"
                + " 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')",
        "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " NULL, NULL, NULL, NULL)",
        "(3, 0, 0, 0, 0, 2.500, -1.5e10, 1e300, '', '', '', '', '1970-01-01', '00:00:00',"
                + " '1999-12-31 23:59:59', '1970-01-01 00:00:00.000001+00', '[]', false,"
                + " '00000000-0000-0000-0000-000000000000')"
    };

    private static final TableId POSTGRES_ITEMS = TableId.of("public", "items");

    @BeforeAll
    static void startServers() {
        postgres = PostgresServer.start();
        mariadb = MariaDbServer.start();
    }

    @AfterAll
    static void stopServers() {
        if (postgres != null) {
            postgres.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Test
    void theTestsRunInAJvmTimeZoneOfNeitherServer() {
        assertThat(TimeZone.getDefault().getID())
                .isNotIn(PostgresServer.SERVER_TIME_ZONE, MariaDbServer.SERVER_TIME_ZONE, "UTC");
    }

    @Test
    void equalMariaDbTablesAreEqual() throws Exception {
        String db = mariadbWith("items", MARIADB_ROWS);
        mariadbTable(db, "copy", MARIADB_ROWS);
        try (Connection c = mariadb.connect(db)) {
            Comparison result =
                    TableComparator.compare(c, TableId.of(db, "items"), c, TableId.of(db, "copy"));

            assertThat(result.differences()).isEmpty();
            assertThat(result.equal()).isTrue();
            assertThat(result.leftRows()).isEqualTo(3);
        }
    }

    @Test
    void aPostgresTableEqualsItsMariaDbCopyInBothDirections() throws Exception {
        String mdb = mariadbWith("items", MARIADB_ROWS);
        String pdb = postgresWith("items", POSTGRES_ROWS);
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            Comparison toMariaDb =
                    TableComparator.compare(p, POSTGRES_ITEMS, m, TableId.of(mdb, "items"));
            Comparison toPostgres =
                    TableComparator.compare(m, TableId.of(mdb, "items"), p, POSTGRES_ITEMS);

            assertThat(toMariaDb.differences()).isEmpty();
            assertThat(toMariaDb.equal()).isTrue();
            assertThat(toPostgres.differences()).isEmpty();
            assertThat(toPostgres.equal()).isTrue();
            assertThat(toPostgres.leftRows()).isEqualTo(3);
            assertThat(toPostgres.leftHash()).isEqualTo(toMariaDb.leftHash());
        }
    }

    @Test
    void mySqlOnlyTypesEqualTheColumnsAPostgresSinkCreatesForThem() throws Exception {
        String mdb = mariadb.createDatabase("cmp");
        mariadb.execute(
                mdb,
                "CREATE TABLE spans (id INT PRIMARY KEY, span TIME(6), yr YEAR, flags BIT(10),"
                        + " colours SET('red','green','blue'), ubig BIGINT UNSIGNED)",
                "INSERT INTO spans VALUES (1, '838:59:59', 2155, b'1010101010', 'blue,red',"
                        + " 18446744073709551615), (2, '-838:59:59', 1901, b'0000000001', '', 0),"
                        + " (3, '25:00:00.000001', 0, b'0', 'red,green,blue', 9223372036854775808),"
                        + " (4, NULL, NULL, NULL, NULL, NULL)");
        String pdb = postgres.createDatabase("cmp");
        postgres.execute(
                pdb,
                "CREATE TABLE spans (id int PRIMARY KEY, span interval(6), yr smallint,"
                        + " flags bit(10), colours text[], ubig numeric(20,0))",
                "INSERT INTO spans VALUES (1, '838:59:59', 2155, B'1010101010', '{red,blue}',"
                        + " 18446744073709551615), (2, '-838:59:59', 1901, B'0000000001', '{}', 0),"
                        + " (3, '25:00:00.000001', 0, B'0000000000', '{red,green,blue}',"
                        + " 9223372036854775808), (4, NULL, NULL, NULL, NULL, NULL)");
        TableId postgresSpans = TableId.of("public", "spans");
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            Comparison equal =
                    TableComparator.compare(m, TableId.of(mdb, "spans"), p, postgresSpans);
            assertThat(equal.differences()).isEmpty();
            assertThat(equal.equal()).isTrue();

            postgres.execute(
                    pdb,
                    "UPDATE spans SET span = '838:59:58', colours = '{blue,red}' WHERE id = 1",
                    "UPDATE spans SET flags = B'0000000011' WHERE id = 2");
            assertThat(
                            TableComparator.compare(p, postgresSpans, m, TableId.of(mdb, "spans"))
                                    .differences())
                    .containsExactly(
                            "(id)=(1) differs in [span, colours]", "(id)=(2) differs in [flags]");
        }
    }

    @Test
    void reportsTheFirstDifferingKeysAndColumnsFromMariaDbToPostgres() throws Exception {
        String mdb = mariadbWith("items", MARIADB_ROWS);
        String pdb = postgresWith("items", POSTGRES_ROWS);
        postgres.execute(
                pdb,
                "UPDATE items SET wall = wall + interval '1 microsecond' WHERE id = 1",
                "UPDATE items SET doc = '[null]', real_v = 0 WHERE id = 3");
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            Comparison result =
                    TableComparator.compare(m, TableId.of(mdb, "items"), p, POSTGRES_ITEMS);

            assertThat(result.equal()).isFalse();
            assertThat(result.differences())
                    .containsExactly(
                            "(id)=(1) differs in [wall]", "(id)=(3) differs in [real_v, doc]");
        }
    }

    @Test
    void reportsAnInstantThatMovedAndAMissingRowFromPostgresToMariaDb() throws Exception {
        String mdb = mariadbWith("items", MARIADB_ROWS);
        String pdb = postgresWith("items", POSTGRES_ROWS);
        mariadb.execute(
                mdb,
                "UPDATE items SET moment = moment + INTERVAL 1 HOUR WHERE id = 1",
                "DELETE FROM items WHERE id = 3");
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            Comparison result =
                    TableComparator.compare(p, POSTGRES_ITEMS, m, TableId.of(mdb, "items"));

            assertThat(result.rightRows()).isEqualTo(2);
            assertThat(result.differences())
                    .containsExactly(
                            "(id)=(1) differs in [moment]",
                            "left (id)=(3) vs right (no more rows)");
        }
    }

    @Test
    void aTinyintOtherThanZeroOrOneDiffersFromABoolean() throws Exception {
        String mdb = mariadbWith("items", MARIADB_ROWS);
        String pdb = postgresWith("items", POSTGRES_ROWS);
        mariadb.execute(mdb, "UPDATE items SET flag = 2 WHERE id = 1");
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            assertThat(
                            TableComparator.compare(p, POSTGRES_ITEMS, m, TableId.of(mdb, "items"))
                                    .differences())
                    .containsExactly("(id)=(1) differs in [flag]");
        }
    }

    @Test
    void keylessTablesCompareByTheirSortedRows() throws Exception {
        String mdb = mariadb.createDatabase("cmp");
        mariadb.execute(
                mdb,
                "CREATE TABLE log (msg VARCHAR(20), n DECIMAL(5,2))",
                "INSERT INTO log VALUES ('b', 1), ('a', 2), ('B', NULL), ('a', 2)");
        String pdb = postgres.createDatabase("cmp");
        postgres.execute(
                pdb,
                "CREATE TABLE log (msg text, n numeric)",
                "INSERT INTO log VALUES ('a', 2.0), ('B', NULL), ('a', 2), ('b', 1.00)");
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            Comparison result =
                    TableComparator.compare(
                            m, TableId.of(mdb, "log"), p, TableId.of("public", "log"));

            assertThat(result.differences()).isEmpty();
            assertThat(result.rightRows()).isEqualTo(4);
        }
    }

    @Test
    void aWallClockTimestampCannotBeComparedWithAnInstant() throws Exception {
        String mdb = mariadb.createDatabase("cmp");
        mariadb.execute(mdb, "CREATE TABLE t (id INT PRIMARY KEY, at DATETIME(6))");
        String pdb = postgres.createDatabase("cmp");
        postgres.execute(pdb, "CREATE TABLE t (id int PRIMARY KEY, at timestamptz)");
        try (Connection m = mariadb.connect(mdb);
                Connection p = postgres.connect(pdb)) {
            assertThatThrownBy(
                            () ->
                                    TableComparator.compare(
                                            m, TableId.of(mdb, "t"), p, TableId.of("public", "t")))
                    .isInstanceOf(SiphonException.class)
                    .hasMessageContaining("Column at holds wall-clock timestamps on the left")
                    .satisfies(
                            e ->
                                    assertThat(((SiphonException) e).code())
                                            .isEqualTo(ErrorCode.SCHEMA_MISMATCH));
        }
    }

    private static String mariadbWith(String table, String... rows) {
        String db = mariadb.createDatabase("cmp");
        mariadbTable(db, table, rows);
        return db;
    }

    private static void mariadbTable(String db, String table, String... rows) {
        mariadb.execute(db, MARIADB_TABLE.formatted(table));
        for (String row : rows) {
            mariadb.execute(db, "INSERT INTO " + table + " VALUES " + row);
        }
    }

    private static String postgresWith(String table, String... rows) {
        String db = postgres.createDatabase("cmp");
        postgres.execute(db, POSTGRES_TABLE.formatted(table));
        for (String row : rows) {
            postgres.execute(db, "INSERT INTO " + table + " VALUES " + row);
        }
        return db;
    }
}
