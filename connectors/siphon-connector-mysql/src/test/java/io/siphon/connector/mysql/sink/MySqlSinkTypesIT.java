package io.siphon.connector.mysql.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.mysql.MariaDbConnectors;
import io.siphon.embedded.MariaDbServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Interval;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Values land exactly in MySQL's own types with the server at +08:00 and the JVM in New York:
 * instants in {@code TIMESTAMP}, wall clocks in {@code DATETIME} (in a daylight-saving gap of the
 * JVM's zone), and the types the model added for MySQL; other families' types MySQL lacks land as
 * text or JSON, and values MySQL would change are refused.
 */
class MySqlSinkTypesIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Test
    void mysqlTypesFromAMySqlSourceKeepEveryValue() throws Exception {
        String db = MARIADB.server().createDatabase("native_types");
        TableId id = TableId.of(db, "natives");
        TableSchema source =
                new TableSchema(
                        id,
                        List.of(
                                new Column(
                                        "id", new DataType.UInt64(), false, "bigint(20) unsigned"),
                                new Column(
                                        "ts",
                                        new DataType.TimestampTzType(6),
                                        true,
                                        "timestamp(6)"),
                                new Column(
                                        "dt", new DataType.TimestampType(6), true, "datetime(6)"),
                                new Column("d", new DataType.DurationType(6), true, "time(6)"),
                                new Column("y", new DataType.YearType(), true, "year(4)"),
                                new Column("b", new DataType.BitType(12, false), true, "bit(12)"),
                                new Column(
                                        "s",
                                        new DataType.SetType(List.of("x", "y", "z")),
                                        true,
                                        "set('x','y','z')")),
                        List.of("id"));
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(source, id, "mysql").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(
                        t,
                        List.of(
                                Row.of(
                                        new BigInteger("18446744073709551615"),
                                        OffsetDateTime.of(
                                                2038, 1, 19, 3, 14, 7, 999_999_000, ZoneOffset.UTC),
                                        LocalDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000),
                                        Duration.ofHours(-838).minusMinutes(59).minusSeconds(59),
                                        (short) 0,
                                        "101000000001",
                                        List.of("x", "z")),
                                Row.of(
                                        BigInteger.ONE,
                                        OffsetDateTime.of(1970, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC),
                                        LocalDateTime.of(1000, 1, 1, 0, 0),
                                        Duration.ofHours(25).plusMillis(500),
                                        (short) 2155,
                                        "000000000000",
                                        List.of())),
                        WriteMode.BULK_APPEND);
                w.flush();
            }
        }
        // Read in the server's own zone (+08:00): UNIX_TIMESTAMP is the instant whatever the zone.
        assertThat(
                        query(
                                db,
                                "SELECT id, UNIX_TIMESTAMP(ts), CAST(dt AS CHAR), CAST(d AS CHAR),"
                                        + " CAST(y AS CHAR), BIN(b + 0), s, @@session.time_zone"
                                        + " FROM natives ORDER BY id"))
                .containsExactly(
                        List.of(
                                "1",
                                "1.000000",
                                "1000-01-01 00:00:00.000000",
                                "25:00:00.500000",
                                "2155",
                                "0",
                                "",
                                "+08:00"),
                        List.of(
                                "18446744073709551615",
                                "2147483647.999999",
                                "2024-03-10 02:30:00.654321",
                                "-838:59:59.000000",
                                "0000",
                                "101000000001",
                                "x,z",
                                "+08:00"));
        assertThat(
                        query(
                                db,
                                "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE"
                                        + " TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'natives'"
                                        + " AND COLUMN_NAME = 'ts'"))
                .containsExactly(List.of("timestamp(6)"));
    }

    @Test
    void typesMySqlLacksLandAsTextOrJson() throws Exception {
        String db = MARIADB.server().createDatabase("foreign_types");
        TableId id = TableId.of(db, "imported");
        TableSchema source =
                new TableSchema(
                        id,
                        List.of(
                                new Column("code", DataType.StringType.unbounded(), false, "text"),
                                Column.of("span", new DataType.IntervalType()),
                                Column.of(
                                        "tags",
                                        new DataType.ArrayType(DataType.StringType.unbounded())),
                                Column.of("flags", new DataType.BitType(DataType.UNBOUNDED, true)),
                                Column.of(
                                        "amount", new DataType.DecimalType(DataType.UNBOUNDED, 0))),
                        List.of("code"));
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(source, id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.apply(
                        t,
                        List.of(
                                new ChangeEvent.Insert(
                                        id,
                                        Row.of(
                                                "k",
                                                new Interval(14, 3, 4_500_000),
                                                List.of("a \"q\"", "b"),
                                                "10110",
                                                new BigDecimal("12345678901234567890.123")),
                                        EventMeta.NONE)));
                w.flush();
            }
        }
        assertThat(query(db, "SELECT code, span, tags, flags, CAST(amount AS CHAR) FROM imported"))
                .containsExactly(
                        List.of(
                                "k",
                                "P14M3DT4.5S",
                                "[\"a \\\"q\\\"\", \"b\"]",
                                "10110",
                                "12345678901234567890.123000000000000000000000000000"));
        assertThat(
                        query(
                                db,
                                "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME ="
                                        + " 'imported' ORDER BY ORDINAL_POSITION"))
                .extracting(row -> row.get(1))
                .containsExactly(
                        "varchar(255)", "varchar(64)", "longtext", "longtext", "decimal(65,30)");
    }

    @Test
    void theDryRunListsWhatPrepareWouldCreateAndNothingOnceTheTableExists() throws Exception {
        String db = MARIADB.server().createDatabase("dry_run");
        TableSchema source =
                new TableSchema(
                        TableId.of("public", "orders"),
                        List.of(
                                new Column("id", new DataType.Int64(), false, "bigint"),
                                Column.of("note", DataType.StringType.unbounded())),
                        List.of("id"));
        TableId inNewDatabase = TableId.of(db + "_new", "orders");
        TableId inExisting = TableId.of(db, "orders");
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            List<String> planned = c.sink().plannedStatements(source, inNewDatabase, "postgres");
            assertThat(planned).hasSize(2);
            assertThat(planned.get(0))
                    .isEqualTo(
                            "CREATE DATABASE IF NOT EXISTS `" + db + "_new` CHARACTER SET utf8mb4");
            assertThat(planned.get(1))
                    .startsWith("CREATE TABLE `" + db + "_new`.`orders` (`id` bigint NOT NULL")
                    .contains("PRIMARY KEY (`id`)");
            assertThat(query(db, "SHOW DATABASES LIKE '" + db + "_new'")).isEmpty();

            List<String> inOne = c.sink().plannedStatements(source, inExisting, "postgres");
            assertThat(inOne).hasSize(1);
            assertThat(query(db, inOne.get(0))).isEmpty();
            assertThat(c.sink().plannedStatements(source, inExisting, "postgres")).isEmpty();
            assertThat(c.sink().prepareTable(source, inExisting, "postgres").created()).isFalse();
        }
    }

    @Test
    void instantsFromAnotherFamilyAreTimestampsAndOnesBeyond2038AreRefused() throws Exception {
        String db = MARIADB.server().createDatabase("instants");
        TableId id = TableId.of(db, "events");
        TableSchema source =
                new TableSchema(
                        id,
                        List.of(
                                new Column("id", new DataType.Int32(), false, "integer"),
                                Column.of("at", new DataType.TimestampTzType(6))),
                        List.of("id"));
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(source, id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(
                        t,
                        List.of(
                                Row.of(
                                        1,
                                        OffsetDateTime.of(
                                                2024,
                                                3,
                                                10,
                                                2,
                                                30,
                                                0,
                                                123_456_000,
                                                ZoneOffset.UTC))),
                        WriteMode.UPSERT);
                w.flush();
            }
            try (SinkWriter w = c.sink().openWriter()) {
                assertThatThrownBy(
                                () ->
                                        w.write(
                                                t,
                                                List.of(
                                                        Row.of(
                                                                2,
                                                                OffsetDateTime.of(
                                                                        2040,
                                                                        1,
                                                                        1,
                                                                        0,
                                                                        0,
                                                                        0,
                                                                        0,
                                                                        ZoneOffset.UTC))),
                                                WriteMode.UPSERT))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                        .hasMessageContaining("instant-type: datetime");
            }
        }
        // 02:30 UTC is 10:30 in the server's +08:00; the epoch seconds are the instant's.
        assertThat(
                        query(
                                db,
                                "SELECT CAST(at AS CHAR), UNIX_TIMESTAMP(at), COLUMN_TYPE FROM"
                                        + " events, information_schema.COLUMNS WHERE TABLE_SCHEMA"
                                        + " = DATABASE() AND TABLE_NAME = 'events' AND"
                                        + " COLUMN_NAME = 'at'"))
                .containsExactly(
                        List.of("2024-03-10 10:30:00.123456", "1710037800.123456", "timestamp(6)"));
    }

    @Test
    void valuesMySqlWouldChangeAreRefused() {
        String db = MARIADB.server().createDatabase("refused");
        TableId id = TableId.of(db, "nums");
        TableSchema source =
                new TableSchema(
                        id,
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("f", new DataType.Float64()),
                                Column.of("n", new DataType.DecimalType(6, 2))),
                        List.of("id"));
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(source, id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                assertThatThrownBy(
                                () ->
                                        w.write(
                                                t,
                                                List.of(Row.of(1, Double.NaN, null)),
                                                WriteMode.UPSERT))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                        .hasMessageContaining("column f of");
            }
            try (SinkWriter w = c.sink().openWriter()) {
                assertThatThrownBy(
                                () ->
                                        w.write(
                                                t,
                                                List.of(Row.of(1, 1.0, new BigDecimal("1.005"))),
                                                WriteMode.UPSERT))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                        .hasMessageContaining("3 digits after the point, the column holds 2");
            }
            try (SinkWriter w = c.sink().openWriter()) {
                assertThatThrownBy(
                                () ->
                                        w.write(
                                                t,
                                                List.of(Row.of(1, 1.0, new BigDecimal("10000"))),
                                                WriteMode.UPSERT))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID));
            }
            TableSchema wideKey =
                    new TableSchema(
                            TableId.of(db, "wide"),
                            List.of(
                                    new Column(
                                            "k",
                                            new DataType.StringType(2000, false),
                                            false,
                                            null)),
                            List.of("k"));
            assertThatThrownBy(() -> c.sink().prepareTable(wideKey, wideKey.id(), "postgres"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TYPE_UNSUPPORTED))
                    .hasMessageContaining("768 characters");
        }
    }

    /** Text that looks like the load's own format lands unchanged: escapes, {@code \N}, empty. */
    @Test
    void loadDataKeepsTextThatLooksLikeItsFormat() throws Exception {
        String db = MARIADB.server().createDatabase("load_text");
        TableSchema source = idAndText(TableId.of(db, "texts"));
        String tricky = "tab\there\nnew\\back\r\u0000nul\\N end";
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(source, source.id(), "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(
                        t,
                        List.of(
                                Row.of(1, tricky),
                                Row.of(2, "\\N"),
                                Row.of(3, null),
                                Row.of(4, "")),
                        WriteMode.BULK_APPEND);
                w.flush();
            }
        }
        assertThat(query(db, "SELECT id, v FROM texts ORDER BY id"))
                .containsExactly(
                        List.of("1", tricky),
                        List.of("2", "\\N"),
                        Arrays.asList("3", null),
                        List.of("4", ""));
    }

    /**
     * {@code LOAD DATA LOCAL} only warns where strict mode refuses (the server cannot stop the
     * client's stream): a value cut to fit an existing narrower column fails the batch with {@link
     * ErrorCode#DATA_INVALID} naming the table and column, and nothing of it stays.
     */
    @Test
    void aValueTheLoadWouldCutFailsTheBatch() throws Exception {
        String db = MARIADB.server().createDatabase("load_cut");
        query(db, "CREATE TABLE narrow (id INT PRIMARY KEY, v VARCHAR(3))");
        TableSchema source =
                new TableSchema(
                        TableId.of(db, "narrow"),
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                new Column("v", new DataType.StringType(3, false), true, null)),
                        List.of("id"));
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(source, source.id(), "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                assertThatThrownBy(
                                () ->
                                        w.write(
                                                t,
                                                List.of(Row.of(1, "abc"), Row.of(2, "abcdef")),
                                                WriteMode.BULK_APPEND))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                        .hasMessageContaining(db + ".narrow")
                        .hasMessageContaining("'v'");
            }
        }
        assertThat(query(db, "SELECT COUNT(*) FROM narrow")).containsExactly(List.of("0"));
    }

    /**
     * With the server's {@code local_infile} OFF, {@code bulk-load: auto} warns in validation and
     * loads with inserts; {@code load-data} is a problem of the check, and its load fails naming
     * the setting.
     */
    @Test
    void localInfileOffFallsBackToInsertsOrFails() throws Exception {
        String db = MARIADB.server().createDatabase("load_off");
        TableSchema source = idAndText(TableId.of(db, "items"));
        query(db, "SET GLOBAL local_infile = OFF");
        try {
            try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
                assertThat(c.sink().tableWarnings(source, source.id(), "postgres"))
                        .singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("local_infile OFF"));
                TableSchema t = c.sink().prepareTable(source, source.id(), "postgres").schema();
                try (SinkWriter w = c.sink().openWriter()) {
                    w.write(t, List.of(Row.of(1, "a\tb"), Row.of(2, null)), WriteMode.BULK_APPEND);
                    w.flush();
                }
            }
            assertThat(query(db, "SELECT id, v FROM items ORDER BY id"))
                    .containsExactly(List.of("1", "a\tb"), Arrays.asList("2", null));
            try (Connector c =
                    MariaDbConnectors.connector(
                            MARIADB.server(), db, Map.of("bulk-load", "load-data"))) {
                assertThat(c.check(Usage.SINK, TableFilter.of(List.of(db + ".items"), List.of())))
                        .singleElement()
                        .satisfies(
                                p ->
                                        assertThat(p.code())
                                                .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE));
                query(db, "DELETE FROM items");
                TableSchema t = c.sink().prepareTable(source, source.id(), "postgres").schema();
                try (SinkWriter w = c.sink().openWriter()) {
                    assertThatThrownBy(
                                    () ->
                                            w.write(
                                                    t,
                                                    List.of(Row.of(1, "a")),
                                                    WriteMode.BULK_APPEND))
                            .isInstanceOfSatisfying(
                                    SiphonException.class,
                                    e ->
                                            assertThat(e.code())
                                                    .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE))
                            .hasMessageContaining("local_infile");
                }
            }
        } finally {
            query(db, "SET GLOBAL local_infile = ON");
        }
    }

    /** A table of an {@code int} key and one column of unbounded text. */
    private static TableSchema idAndText(TableId id) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        new Column(
                                "v",
                                new DataType.StringType(DataType.UNBOUNDED, false),
                                true,
                                null)),
                List.of("id"));
    }

    private static List<List<String>> query(String db, String sql) throws SQLException {
        MariaDbServer server = MARIADB.server();
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = server.connect(db);
                Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return rows;
            }
            ResultSet rs = s.getResultSet();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
