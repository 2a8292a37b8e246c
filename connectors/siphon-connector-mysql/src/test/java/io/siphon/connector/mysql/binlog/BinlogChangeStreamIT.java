package io.siphon.connector.mysql.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.embedded.MariaDbServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BinlogChangeStreamIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    @Test
    void decodesEveryTypeExactly() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("types");
        server.execute(
                db,
                "CREATE TABLE t (id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED,"
                        + " si SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,"
                        + " i INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, d DECIMAL(65,30),"
                        + " f FLOAT, dbl DOUBLE, b BIT(10), bo BOOL, y YEAR, dt DATE, tm TIME(6),"
                        + " dtm DATETIME(6), ts TIMESTAMP(3) NULL, s VARCHAR(20),"
                        + " l VARCHAR(20) CHARACTER SET latin1, c CHAR(5), bin BINARY(4),"
                        + " vb VARBINARY(10), bl BLOB, tx TEXT, e ENUM('a','b','c'),"
                        + " st SET('x','y','z'), j JSON, g GEOMETRY)");
        TableSchema schema =
                schema(
                        TableId.of(db, "t"),
                        List.of("id"),
                        col("id", new DataType.Int32()),
                        col("ti", new DataType.Int16()),
                        col("tiu", new DataType.Int16()),
                        col("si", new DataType.Int32()),
                        col("mi", new DataType.Int32()),
                        col("miu", new DataType.Int32()),
                        col("i", new DataType.Int64()),
                        col("bi", new DataType.Int64()),
                        col("biu", new DataType.UInt64()),
                        col("d", new DataType.DecimalType(65, 30)),
                        col("f", new DataType.Float32()),
                        col("dbl", new DataType.Float64()),
                        col("b", new DataType.BitType(10, false)),
                        col("bo", new DataType.BooleanType()),
                        col("y", new DataType.YearType()),
                        col("dt", new DataType.DateType()),
                        col("tm", new DataType.DurationType(6)),
                        col("dtm", new DataType.TimestampType(6)),
                        col("ts", new DataType.TimestampTzType(3)),
                        col("s", new DataType.StringType(20, false)),
                        col("l", new DataType.StringType(20, false)),
                        col("c", new DataType.StringType(5, true)),
                        col("bin", new DataType.BinaryType(4)),
                        col("vb", new DataType.BinaryType(10)),
                        col("bl", new DataType.BinaryType(DataType.UNBOUNDED)),
                        col("tx", DataType.StringType.unbounded()),
                        col("e", new DataType.EnumType(null, List.of("a", "b", "c"))),
                        col("st", new DataType.SetType(List.of("x", "y", "z"))),
                        col("j", new DataType.JsonType(false)),
                        col("g", new DataType.GeometryType("geometry")));
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("types", List.of(schema), null, false).start();
        server.execute(
                db,
                "SET time_zone = '+08:00'",
                "INSERT INTO t VALUES (1, -128, 255, 65535, -8388608, 16777215, 4294967295,"
                        + " -9223372036854775808, 18446744073709551615,"
                        + " 12345678901234567890123456789012345.123456789012345678901234567890,"
                        + " 1.5, -2.25e300, b'1000000001', TRUE, 2024, '2024-02-29',"
                        + " '23:59:59.999999', '2024-01-02 03:04:05.123456',"
                        + " '2024-01-02 03:04:05.123', 'h\u00e9llo \uD83D\uDE00', 'caf\u00e9',"
                        + " 'ab', x'00ff1000', x'', x'0102', 'text', 'b', 'x,z',"
                        + " '{\"k\": [1, \"\u00e9\"]}', ST_GeomFromText('POINT(1.5 -2)'))",
                "INSERT INTO t (id, y) VALUES (2, 0)",
                "UPDATE t SET s = 'x', tiu = 0 WHERE id = 1",
                "DELETE FROM t WHERE id = 2");
        try (ChangeStream stream = source.open("types", List.of(schema), start, Set.of())) {
            List<ChangeEvent> events = pollUntil(stream, 4);
            assertThat(events).hasSize(4);
            ChangeEvent.Insert first = (ChangeEvent.Insert) events.get(0);
            Row expected =
                    Row.of(
                            1,
                            (short) -128,
                            (short) 255,
                            65535,
                            -8388608,
                            16777215,
                            4294967295L,
                            Long.MIN_VALUE,
                            new BigInteger("18446744073709551615"),
                            new BigDecimal(
                                    "12345678901234567890123456789012345.123456789012345678901234567890"),
                            1.5f,
                            -2.25e300,
                            "1000000001",
                            true,
                            (short) 2024,
                            LocalDate.of(2024, 2, 29),
                            Duration.parse("PT23H59M59.999999S"),
                            LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
                            OffsetDateTime.of(2024, 1, 1, 19, 4, 5, 123_000_000, ZoneOffset.UTC),
                            "h\u00e9llo \uD83D\uDE00",
                            "caf\u00e9",
                            "ab",
                            new byte[] {0, (byte) 0xff, 0x10, 0},
                            new byte[0],
                            new byte[] {1, 2},
                            "text",
                            "b",
                            List.of("x", "z"),
                            "{\"k\": [1, \"\u00e9\"]}",
                            "POINT(1.5 -2)");
            assertThat(first.after()).isEqualTo(expected);
            assertThat(first.table()).isEqualTo(TableId.of(db, "t"));
            ChangeEvent.Insert second = (ChangeEvent.Insert) events.get(1);
            assertThat(second.after().get(14)).isEqualTo((short) 0);
            ChangeEvent.Update update = (ChangeEvent.Update) events.get(2);
            assertThat(update.before()).isEqualTo(expected);
            assertThat(update.beforeIsKeyOnly()).isFalse();
            assertThat(update.after().get(19)).isEqualTo("x");
            assertThat(update.after().get(2)).isEqualTo((short) 0);
            ChangeEvent.Delete delete = (ChangeEvent.Delete) events.get(3);
            assertThat(delete.before().get(0)).isEqualTo(2);
            assertThat(events.get(0).meta().order().isAfter(events.get(3).meta().order()))
                    .isFalse();
        }
    }

    @Test
    void decodesLongAndNegativeTimesAndAppliesTheZeroDatePolicy() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("zero");
        server.execute(
                db,
                "CREATE TABLE t (id INT PRIMARY KEY, tm TIME(3), d DATE, dt DATETIME(2),"
                        + " ts TIMESTAMP NULL)");
        TableSchema schema =
                schema(
                        TableId.of(db, "t"),
                        List.of("id"),
                        col("id", new DataType.Int32()),
                        col("tm", new DataType.DurationType(3)),
                        col("d", new DataType.DateType()),
                        col("dt", new DataType.TimestampType(2)),
                        col("ts", new DataType.TimestampTzType(0)));
        BinlogStreamSource asNull =
                new BinlogStreamSource(
                        TestServers.of(server), new BinlogSettings(HEARTBEAT, null, true));
        BinlogOffset start =
                (BinlogOffset) asNull.prepare("zero", List.of(schema), null, false).start();
        server.execute(
                db,
                "SET sql_mode = ''",
                "INSERT INTO t VALUES (1, '-838:59:59.000', '0000-00-00', '0000-00-00 00:00:00',"
                        + " '0000-00-00 00:00:00')",
                "INSERT INTO t VALUES (2, '100:00:00.5', '2024-00-10', '2024-02-29 23:59:59.99',"
                        + " '1970-01-01 08:00:01')",
                "INSERT INTO t VALUES (3, '-00:00:00.001', '1000-01-01', '9999-12-31 23:59:59.99',"
                        + " NULL)");
        try (ChangeStream stream = asNull.open("zero", List.of(schema), start, Set.of())) {
            List<ChangeEvent> events = pollUntil(stream, 3);
            assertThat(events)
                    .map(e -> ((ChangeEvent.Insert) e).after())
                    .containsExactly(
                            Row.of(1, Duration.parse("-PT838H59M59S"), null, null, null),
                            Row.of(
                                    2,
                                    Duration.parse("PT100H0.5S"),
                                    null,
                                    LocalDateTime.of(2024, 2, 29, 23, 59, 59, 990_000_000),
                                    OffsetDateTime.of(1970, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC)),
                            Row.of(
                                    3,
                                    Duration.parse("-PT0.001S"),
                                    LocalDate.of(1000, 1, 1),
                                    LocalDateTime.of(9999, 12, 31, 23, 59, 59, 990_000_000),
                                    null));
        }
        try (ChangeStream stream = source().open("zero", List.of(schema), start, Set.of())) {
            assertThatThrownBy(() -> pollUntil(stream, 1))
                    .isInstanceOf(SiphonException.class)
                    .hasMessageContaining("Table " + db + ".t has a zero date, d = '0000-00-00'")
                    .hasMessageContaining("in the row with id = 1")
                    .hasMessageContaining("'zero-dates: null'");
        }
    }

    @Test
    void resumesAfterItsSafePositionWithoutRepeatsOrGaps() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("resume");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
        TableSchema schema = simple(db);
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("resume", List.of(schema), null, false).start();
        assertThat(start.gtids()).isNotNull();
        server.execute(db, "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        BinlogOffset safe;
        try (ChangeStream stream = source.open("resume", List.of(schema), start, Set.of())) {
            assertThat(ids(pollUntil(stream, 2))).containsExactly(1, 2);
            safe = pollPast(stream, start);
        }
        assertThat(safe.compareTo(start)).isPositive();
        assertThat(safe.gtids()).isNotEqualTo(start.gtids());
        server.execute(
                db,
                "INSERT INTO t VALUES (3, 'c')",
                "FLUSH BINARY LOGS",
                "INSERT INTO t VALUES (4, 'd')");
        BinlogOffset codecRoundTrip =
                new BinlogOffsetCodec().fromJson(new BinlogOffsetCodec().toJson(safe));
        assertThat(codecRoundTrip).isEqualTo(safe);
        try (ChangeStream stream =
                source.open("resume", List.of(schema), codecRoundTrip, Set.of())) {
            assertThat(ids(pollUntil(stream, 2))).containsExactly(3, 4);
        }
        // Another server (a promoted replica) resumes by the GTID set.
        BinlogOffset elsewhere = new BinlogOffset("other-bin.000001", 4, safe.gtids(), 999);
        try (ChangeStream stream = source.open("resume", List.of(schema), elsewhere, Set.of())) {
            assertThat(ids(pollUntil(stream, 2))).containsExactly(3, 4);
        }
    }

    @Test
    void purgedPositionIsLostWithItsFix() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("purged");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
        TableSchema schema = simple(db);
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("purged", List.of(schema), null, false).start();
        try (Connection c = TestServers.of(server).connect()) {
            // The server keeps a log that a replica connection (another test's stream, still
            // closing) reads, so purge until the start's log is really gone.
            Awaitility.await("binary log " + start.file() + " purged")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                c.createStatement().execute("FLUSH BINARY LOGS");
                                String newest = BinlogPositions.current(c, "x").file();
                                c.createStatement()
                                        .execute("PURGE BINARY LOGS TO '" + newest + "'");
                                return !BinlogPositions.files(c).containsKey(start.file());
                            });
        }
        assertThatThrownBy(() -> source.prepare("purged", List.of(schema), start, false))
                .isInstanceOf(SiphonException.class)
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.POSITION_LOST))
                .hasMessageContaining(start.file() + " is gone")
                .hasMessageContaining("binlog_expire_logs_seconds");
        assertThatThrownBy(() -> source.open("purged", List.of(schema), start, Set.of()))
                .isInstanceOf(SiphonException.class)
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.POSITION_LOST));
    }

    @Test
    void serverRestartBreaksTheStreamRetriablyAndItResumes() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("restart");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
        TableSchema schema = simple(db);
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("restart", List.of(schema), null, false).start();
        server.execute(db, "INSERT INTO t VALUES (1, 'a')");
        BinlogOffset safe;
        try (ChangeStream stream = source.open("restart", List.of(schema), start, Set.of())) {
            assertThat(ids(pollUntil(stream, 1))).containsExactly(1);
            safe = pollPast(stream, start);
            server.restart();
            server.execute(db, "INSERT INTO t VALUES (2, 'b')");
            SiphonException lost = null;
            while (lost == null) {
                try {
                    stream.poll(Duration.ofMillis(200));
                } catch (SiphonException e) {
                    lost = e;
                }
            }
            assertThat(lost.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
            assertThat(lost.code().retriable()).isTrue();
        }
        try (ChangeStream stream = source.open("restart", List.of(schema), safe, Set.of())) {
            assertThat(ids(pollUntil(stream, 1))).containsExactly(2);
        }
    }

    /**
     * Reads between watermarks on MariaDB: a split read at the binary log position of its
     * consistent snapshot, both watermarks at that position, so that the changes a poll returns
     * before the low watermark are in the rows and those after the high one are not.
     */
    @Test
    void changesBeforeTheWatermarksAreInTheRowsAndChangesAfterThemAreNot() {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("watermarks");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
        TableSchema table = simple(db);
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("wm", List.of(table), null, false).start();
        server.execute(db, "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        try (ChangeStream stream = source.open("wm", List.of(table), start, Set.of())) {
            // Written but not yet polled when the split is read: before the low watermark.
            server.execute(db, "INSERT INTO t VALUES (3, 'c')");
            SnapshotSplit whole = new SnapshotSplit(table.id(), 0, "whole", null, null, -1);
            List<Row> rows = stream.readBetweenWatermarks(table, whole, "w1/low", "w1/high");
            server.execute(db, "INSERT INTO t VALUES (4, 'd')");

            assertThat(rows).extracting(r -> r.get(0)).containsExactlyInAnyOrder(1, 2, 3);
            List<ChangeEvent> beforeLow = pollToWatermark(stream, "w1/low");
            assertThat(ids(beforeLow)).containsExactly(1, 2, 3);
            assertThat(stream.readMissedEarlierChange("w1/low")).isFalse();
            assertThat(pollToWatermark(stream, "w1/high")).isEmpty();
            assertThat(ids(pollUntil(stream, 1))).containsExactly(4);

            // An idle log: the stream has read everything up to the point already.
            rows = stream.readBetweenWatermarks(table, whole, "w2/low", "w2/high");
            assertThat(rows).hasSize(4);
            assertThat(pollToWatermark(stream, "w2/low")).isEmpty();
            assertThat(pollToWatermark(stream, "w2/high")).isEmpty();
        }
    }

    /** Polls until a poll stops at {@code watermark}; returns the events before it. */
    private static List<ChangeEvent> pollToWatermark(ChangeStream stream, String watermark) {
        List<ChangeEvent> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.addAll(stream.poll(Duration.ofMillis(200)));
            if (watermark.equals(stream.watermarkReached())) {
                return out;
            }
            assertThat(stream.watermarkReached()).isNull();
        }
        throw new AssertionError("watermark " + watermark + " not reached; events: " + out);
    }

    /**
     * Under concurrent inserts, each split read between watermarks holds exactly the rows whose
     * inserts the stream returned before the low watermark (DBLog's invariant), unless the stream
     * says the read missed one.
     */
    @Test
    void underConcurrentWritesTheRowsAreExactlyTheChangesBeforeTheLowWatermark() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("wmload");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
        TableSchema table = simple(db);
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("wml", List.of(table), null, false).start();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    for (int id = 0; writing.get(); id++) {
                                        server.execute(
                                                db, "INSERT INTO t VALUES (" + id + ", 'x')");
                                    }
                                });
        int exact = 0;
        try (ChangeStream stream = source.open("wml", List.of(table), start, Set.of())) {
            SnapshotSplit whole = new SnapshotSplit(table.id(), 0, "whole", null, null, -1);
            Set<Object> streamed = new HashSet<>();
            for (int k = 0; k < 10; k++) {
                streamed.addAll(ids(stream.poll(Duration.ofMillis(100))));
                List<Row> rows =
                        stream.readBetweenWatermarks(table, whole, k + "/low", k + "/high");
                streamed.addAll(ids(pollToWatermark(stream, k + "/low")));
                if (!stream.readMissedEarlierChange(k + "/low")) {
                    assertThat(rows.stream().map(r -> r.get(0)).collect(Collectors.toSet()))
                            .isEqualTo(streamed);
                    exact++;
                }
                assertThat(pollToWatermark(stream, k + "/high")).isEmpty();
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(exact).isPositive();
    }

    static BinlogStreamSource source() {
        return new BinlogStreamSource(
                TestServers.of(MARIADB.server()), new BinlogSettings(HEARTBEAT, null, false));
    }

    static TableSchema simple(String db) {
        return schema(
                TableId.of(db, "t"),
                List.of("id"),
                col("id", new DataType.Int32()),
                col("v", DataType.StringType.unbounded()));
    }

    static List<Object> ids(List<ChangeEvent> events) {
        List<Object> out = new ArrayList<>();
        for (ChangeEvent e : events) {
            if (e instanceof ChangeEvent.Insert i) {
                out.add(i.after().get(0));
            }
        }
        return out;
    }

    /** Polls until {@code n} data changes arrived. */
    static List<ChangeEvent> pollUntil(ChangeStream stream, int n) {
        List<ChangeEvent> out = new ArrayList<>();
        long data = 0;
        while (data < n) {
            List<ChangeEvent> batch = stream.poll(Duration.ofMillis(500));
            out.addAll(batch);
            data = out.stream().filter(e -> e instanceof ChangeEvent.DataChange).count();
        }
        return out;
    }

    /**
     * Polls until the safe position moved past {@code start} (the commit was read), with no events.
     */
    static BinlogOffset pollPast(ChangeStream stream, BinlogOffset start) {
        while (stream.safePosition().equals(start)) {
            assertThat(stream.poll(Duration.ofMillis(200))).isEmpty();
        }
        return (BinlogOffset) stream.safePosition();
    }

    static Column col(String name, DataType type) {
        return new Column(name, type, true, null);
    }

    static TableSchema schema(TableId id, List<String> key, Column... columns) {
        return new TableSchema(id, List.of(columns), key);
    }
}
