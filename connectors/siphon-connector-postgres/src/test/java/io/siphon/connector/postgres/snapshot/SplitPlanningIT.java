package io.siphon.connector.postgres.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Splits always cover the whole table exactly once, whatever its key, size or statistics, and all
 * readers see the table as of one read point.
 */
class SplitPlanningIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private String db;
    private PostgresConnector source;

    @BeforeEach
    void freshDatabase() {
        db = PG.server().createDatabase("splits");
        source = Pg.connector(PG.server(), db);
    }

    @AfterEach
    void closeConnector() {
        source.close();
    }

    private TableSchema table(String name, String... sql) {
        PG.server().execute(db, sql);
        return Pg.discover(source, TableId.of("public", name));
    }

    private List<SnapshotSplit> plan(TableSchema table, int chunkRows) {
        return source.snapshotSource().planSplits(table, chunkRows);
    }

    private static List<Integer> ids(List<Row> rows) {
        return rows.stream().map(r -> ((Number) r.get(0)).intValue()).sorted().toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void emptyTableIsOneUnboundedSplitWithNoRows() {
        TableSchema t = table("empty", "CREATE TABLE empty (id int PRIMARY KEY, v text)");
        List<SnapshotSplit> splits = plan(t, 10);
        assertThat(splits).containsExactly(new SnapshotSplit(t.id(), 0, "pk", null, null, 0));
        assertThat(Pg.readAll(source, t, 10)).isEmpty();
    }

    @Test
    void oneRowIsOneSplit() {
        TableSchema t =
                table(
                        "one",
                        "CREATE TABLE one (id int PRIMARY KEY, v text)",
                        "INSERT INTO one VALUES (1, 'a')");
        assertThat(plan(t, 10)).hasSize(1);
        assertThat(Pg.readAll(source, t, 10)).containsExactly(Row.of(1, "a"));
    }

    @Test
    void integerKeyRangesCoverTwoHundredThousandRowsExactlyOnce() {
        TableSchema t =
                table(
                        "big",
                        "CREATE TABLE big (id bigint PRIMARY KEY, v text)",
                        "INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 200000) g");
        List<SnapshotSplit> splits = plan(t, 7_000);
        assertThat(splits.size()).isBetween(20, 40);
        assertThat(splits.get(0).lower()).isNull();
        assertThat(splits.get(splits.size() - 1).upper()).isNull();
        for (int i = 1; i < splits.size(); i++) {
            assertThat(splits.get(i).lower()).isEqualTo(splits.get(i - 1).upper());
            assertThat(splits.get(i).index()).isEqualTo(i);
            assertThat(splits.get(i).kind()).isEqualTo("pk");
        }
        assertThat(splits.get(1).lower()).matches("\\[\"\\d+\"\\]");
        List<Row> rows = Pg.readAll(source, t, 7_000);
        assertThat(rows).hasSize(200_000);
        assertThat(rows.stream().map(r -> (Long) r.get(0)).distinct().count()).isEqualTo(200_000);
        assertThat(rows.stream().mapToLong(r -> (Long) r.get(0)).sum())
                .isEqualTo(200_000L * 200_001L / 2);
    }

    @Test
    void sparseIntegerKeysAreSplitByRowsNotByValues() {
        TableSchema t =
                table(
                        "sparse",
                        "CREATE TABLE sparse (id bigint PRIMARY KEY)",
                        "INSERT INTO sparse SELECT g::bigint * 1000000000 FROM generate_series(1, 5000) g");
        List<SnapshotSplit> splits = plan(t, 1_000);
        assertThat(splits).hasSize(5);
        assertThat(Pg.readSplits(source, t, splits, null))
                .hasSize(5_000)
                .extracting(r -> r.get(0))
                .doesNotHaveDuplicates();
    }

    @Test
    void compositeKeysAreSplitByRowValueRanges() {
        TableSchema t =
                table(
                        "composite",
                        "CREATE TABLE composite (tenant text, seq int, v int,"
                                + " PRIMARY KEY (tenant, seq))",
                        "INSERT INTO composite SELECT 't' || (g % 7), g, g"
                                + " FROM generate_series(1, 3000) g");
        List<SnapshotSplit> splits = plan(t, 400);
        assertThat(splits).hasSize(8);
        assertThat(splits.get(1).lower()).startsWith("[\"t");
        List<Row> rows = Pg.readSplits(source, t, splits, null);
        assertThat(rows.stream().map(r -> (Integer) r.get(1)).sorted().toList())
                .isEqualTo(range(1, 3000));
    }

    @Test
    void largeTablesTakeKeyBoundariesFromASample() throws Exception {
        TableSchema t =
                table(
                        "sampled",
                        "CREATE TABLE sampled (k text PRIMARY KEY)",
                        "INSERT INTO sampled SELECT md5(g::text) FROM generate_series(1, 20000) g");
        List<SnapshotSplit> splits;
        try (var c = PG.server().connect(db)) {
            splits = SplitPlanner.plan(c, t, 2_000, 0);
        }
        assertThat(splits.size()).isBetween(5, 11);
        List<Row> rows = Pg.readSplits(source, t, splits, null);
        assertThat(rows).hasSize(20_000).extracting(r -> r.get(0)).doesNotHaveDuplicates();
    }

    @Test
    void tablesWithoutKeyAreSplitByBlocksAndNewPagesLandInTheLastSplit() {
        TableSchema t =
                table(
                        "nokey",
                        "CREATE TABLE nokey (n int, pad text)",
                        "INSERT INTO nokey SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g");
        List<SnapshotSplit> splits = plan(t, 2_000);
        assertThat(splits.size()).isBetween(8, 12);
        assertThat(splits).allSatisfy(s -> assertThat(s.kind()).isEqualTo("ctid"));
        assertThat(splits.get(1).lower()).matches("\\d+");
        PG.server()
                .execute(
                        db,
                        "INSERT INTO nokey SELECT g, 'late' FROM generate_series(20001, 20100) g");
        List<Row> rows = Pg.readSplits(source, t, splits, null);
        assertThat(ids(rows)).isEqualTo(range(1, 20100));
    }

    @Test
    void partitionedTablesAreReadThroughTheParent() {
        TableSchema keyless =
                table(
                        "events",
                        "CREATE TABLE events (day int, n int) PARTITION BY RANGE (day)",
                        "CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (10)",
                        "CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (10) TO (20)",
                        "INSERT INTO events SELECT g % 20, g FROM generate_series(1, 10000) g");
        assertThat(source.discover(Pg.tables("public.events.*")))
                .extracting(TableSchema::id)
                .containsExactly(keyless.id());
        List<SnapshotSplit> splits = plan(keyless, 1_000);
        assertThat(splits.size()).isGreaterThan(1);
        assertThat(
                        Pg.readSplits(source, keyless, splits, null).stream()
                                .map(r -> (Integer) r.get(1))
                                .sorted()
                                .toList())
                .isEqualTo(range(1, 10000));
    }

    @Test
    void readersSeeTheTableAsOfTheReadPoint() {
        TableSchema t =
                table(
                        "moving",
                        "CREATE TABLE moving (id int PRIMARY KEY)",
                        "INSERT INTO moving SELECT generate_series(1, 1000)");
        SnapshotSource snapshot = source.snapshotSource();
        try (ReadPoint point = snapshot.openReadPoint()) {
            List<SnapshotSplit> splits = snapshot.planSplits(t, 100);
            PG.server()
                    .execute(
                            db,
                            "INSERT INTO moving SELECT generate_series(1001, 1100)",
                            "DELETE FROM moving WHERE id <= 10");
            assertThat(ids(Pg.readSplits(source, t, splits, point.token())))
                    .isEqualTo(range(1, 1000));
            assertThat(ids(Pg.readSplits(source, t, splits, null))).isEqualTo(range(11, 1100));
        }
    }

    @Test
    void aClosedReadPointCannotBeReadAtAnyMore() {
        TableSchema t = table("gone", "CREATE TABLE gone (id int PRIMARY KEY)");
        SnapshotSource snapshot = source.snapshotSource();
        ReadPoint point = snapshot.openReadPoint();
        String token = point.token();
        point.close();
        SnapshotSplit split = plan(t, 10).get(0);
        assertThatThrownBy(() -> snapshot.openSplit(t, split, token, 10))
                .isInstanceOf(SiphonException.class)
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.POSITION_LOST);
    }

    @Test
    void batchesHoldAtMostBatchRows() {
        TableSchema t =
                table(
                        "batches",
                        "CREATE TABLE batches (id int PRIMARY KEY)",
                        "INSERT INTO batches SELECT generate_series(1, 25)");
        try (var reader = source.snapshotSource().openSplit(t, plan(t, 100).get(0), null, 10)) {
            assertThat(reader.next().size()).isEqualTo(10);
            assertThat(reader.next().size()).isEqualTo(10);
            assertThat(reader.next().size()).isEqualTo(5);
            assertThat(reader.next()).isNull();
            assertThat(reader.next()).isNull();
        }
    }

    private long runningCopies() throws Exception {
        try (var c = PG.server().connect(db);
                var s = c.createStatement();
                var rs =
                        s.executeQuery(
                                "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                                        + " 'siphon' AND query LIKE 'COPY%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aReaderClosedHalfWayReleasesItsConnection() throws Exception {
        TableSchema t =
                table(
                        "halfway",
                        "CREATE TABLE halfway (id int PRIMARY KEY)",
                        "INSERT INTO halfway SELECT generate_series(1, 50000)");
        try (var reader = source.snapshotSource().openSplit(t, plan(t, 100_000).get(0), null, 10)) {
            assertThat(reader.next().size()).isEqualTo(10);
        }
        // A closed backend leaves pg_stat_activity a moment later, so wait for it.
        await().atMost(Duration.ofSeconds(10)).until(() -> runningCopies() == 0);
    }

    private long siphonSessions() throws Exception {
        try (var c = PG.server().connect(db);
                var s = c.createStatement();
                var rs =
                        s.executeQuery(
                                "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                                        + " 'siphon' AND datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aRunLeavesNoConnectionOpen() throws Exception {
        TableSchema t =
                table(
                        "leak",
                        "CREATE TABLE leak (id int PRIMARY KEY)",
                        "INSERT INTO leak SELECT generate_series(1, 5000)");
        assertThat(Pg.readAll(source, t, 1_000)).hasSize(5_000);
        source.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> siphonSessions() == 0);
    }

    @Test
    void aReaderWhoseConnectionIsKilledReportsARetriableLoss() throws Exception {
        TableSchema t =
                table(
                        "killed",
                        "CREATE TABLE killed (id int PRIMARY KEY, pad text)",
                        "INSERT INTO killed SELECT g, repeat('x', 200) FROM generate_series(1, 100000) g");
        try (var reader =
                source.snapshotSource().openSplit(t, plan(t, 1_000_000).get(0), null, 10)) {
            assertThat(reader.next().size()).isEqualTo(10);
            PG.server()
                    .execute(
                            db,
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                    + " WHERE application_name = 'siphon' AND query LIKE 'COPY%'");
            assertThatThrownBy(
                            () -> {
                                while (reader.next() != null) {
                                    // Drain what the socket still held until the loss shows.
                                }
                            })
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
                                assertThat(e.retriable()).isTrue();
                            });
        }
    }
}
