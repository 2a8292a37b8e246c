package io.siphon.testkit.conformance;

import static io.siphon.testkit.conformance.ConnectorBehavior.ADD_COLUMN;
import static io.siphon.testkit.conformance.ConnectorBehavior.BULK_LOAD;
import static io.siphon.testkit.conformance.ConnectorBehavior.DROP_COLUMN;
import static io.siphon.testkit.conformance.ConnectorBehavior.EXACTLY_ONCE;
import static io.siphon.testkit.conformance.ConnectorBehavior.KEYLESS_TABLES;
import static io.siphon.testkit.conformance.ConnectorBehavior.KEY_CHANGE;
import static io.siphon.testkit.conformance.ConnectorBehavior.READ_BACK;
import static io.siphon.testkit.conformance.ConnectorBehavior.RENAME_COLUMN;
import static io.siphon.testkit.conformance.ConnectorBehavior.SINK;
import static io.siphon.testkit.conformance.ConnectorBehavior.SINK_SCHEMA_CHANGES;
import static io.siphon.testkit.conformance.ConnectorBehavior.TRANSACTIONAL_WRITES;
import static io.siphon.testkit.conformance.ConnectorBehavior.TRUNCATE;
import static io.siphon.testkit.conformance.ConnectorBehavior.WIDEN_COLUMN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.AlterColumnType;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.RenameColumn;
import io.siphon.model.ChangeEvent.SchemaChange;
import io.siphon.model.ChangeEvent.Truncate;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.ChangeOrder;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of a sink: tables created from portable schemas (every portable type
 * round-trips exactly), upserts, bulk loads, changes applied in order (inserts, updates, deletes,
 * truncates, a changed key, tables without a key), schema changes (add, drop, rename, widen), a
 * table created while a writer is open, replays that leave the same state, exactly-once skips, and
 * writes that a crash before the flush discards. Driven through the SPI only.
 *
 * <p>Rows are read back through the connector's own snapshot source by default ({@link #readBack});
 * a sink-only connector overrides that with a read of its own.
 */
public abstract class SinkConformanceSuite extends ConformanceSuite {

    private static final EventMeta NONE = EventMeta.NONE;

    /**
     * The source type the suite names to {@link io.siphon.spi.Sink#prepareTable}: by default one no
     * real connector has, so the sink creates tables from the portable types (its family's write
     * mapping).
     */
    protected String sourceType() {
        return "conformance";
    }

    /** Every row of a target table, in any order. */
    protected List<Row> readBack(Connector connector, TableSchema table) {
        require(connector, READ_BACK);
        return snapshot(connector, table, 10_000);
    }

    // ---------------------------------------------------------------- rows

    @Test
    void everyPortableTypeRoundTripsExactly() {
        String db = createDatabase("tck_sink_types");
        try (Connector c = connector(db)) {
            require(c, SINK);
            TableSchema schema = prepare(c, portableMatrix(table(db, "portable_types")));
            List<Row> rows = portableRows();
            written(c, schema, WriteMode.UPSERT, rows);
            assertThat(byId(readBack(c, schema))).containsExactlyElementsOf(rows);
        }
    }

    /**
     * The types that MySQL brings and PostgreSQL has no twin for (an unsigned 64-bit integer, a
     * duration beyond a day, a year, a bit string, a set) land exactly in the columns the sink
     * creates for them, read back as the table's schema says.
     */
    @Test
    void typesFromOtherSystemsLandExactly() {
        String db = createDatabase("tck_sink_other_types");
        try (Connector c = connector(db)) {
            require(c, SINK);
            TableSchema schema = prepare(c, otherSystemsMatrix(table(db, "other_types")));
            List<Row> rows = otherSystemsRows();
            written(c, schema, WriteMode.UPSERT, rows);
            assertThat(byId(readBack(c, schema))).containsExactlyElementsOf(rows);
        }
    }

    @Test
    void upsertWritesEachKeyOnceHoweverOftenItsRowComes() {
        String db = createDatabase("tck_sink_upsert");
        try (Connector c = connector(db)) {
            require(c, SINK);
            TableSchema t = prepare(c, items(table(db, "items"), true));
            written(
                    c,
                    t,
                    WriteMode.UPSERT,
                    List.of(Row.of(1, "a", 1), Row.of(2, "b", 2)),
                    List.of(Row.of(2, "b", 20), Row.of(3, "c", 3)));
            assertThat(byId(readBack(c, t)))
                    .containsExactly(Row.of(1, "a", 1), Row.of(2, "b", 20), Row.of(3, "c", 3));
        }
    }

    @Test
    void bulkAppendLoadsAnEmptyTable() {
        String db = createDatabase("tck_sink_bulk");
        try (Connector c = connector(db)) {
            require(c, BULK_LOAD);
            TableSchema t = prepare(c, items(table(db, "items"), true));
            List<Row> rows =
                    IntStream.rangeClosed(1, 2000)
                            .mapToObj(i -> Row.of(i, "item " + i, i * 10))
                            .toList();
            written(c, t, WriteMode.BULK_APPEND, rows);
            assertThat(byId(readBack(c, t))).containsExactlyElementsOf(rows);
        }
    }

    // ---------------------------------------------------------------- changes

    @Test
    void appliesInsertsUpdatesAndDeletesInOrder() {
        assertThat(
                        appliedToItems(
                                true,
                                List.of(SINK),
                                id ->
                                        List.of(
                                                List.of(
                                                        new Insert(id, Row.of(1, "a", 1), NONE),
                                                        new Insert(id, Row.of(2, "b", 2), NONE),
                                                        update(id, 1, Row.of(1, "a", 10)),
                                                        delete(id, 2),
                                                        new Insert(id, Row.of(3, null, 3), NONE),
                                                        new Insert(
                                                                id, Row.of(2, "again", 2), NONE)))))
                .containsExactly(Row.of(1, "a", 10), Row.of(2, "again", 2), Row.of(3, null, 3));
    }

    @Test
    void appliesATruncateBetweenTheChangesAroundIt() {
        assertThat(
                        appliedToItems(
                                true,
                                List.of(SINK, TRUNCATE),
                                id ->
                                        List.of(
                                                List.of(
                                                        new Insert(id, Row.of(1, "a", 1), NONE),
                                                        new Insert(id, Row.of(2, "b", 2), NONE),
                                                        new Truncate(id, NONE),
                                                        new Insert(id, Row.of(3, "c", 3), NONE)))))
                .containsExactly(Row.of(3, "c", 3));
    }

    @Test
    void appliesAChangedKeyByMovingTheRow() {
        assertThat(
                        appliedToItems(
                                true,
                                List.of(SINK, KEY_CHANGE),
                                id ->
                                        List.of(
                                                List.of(new Insert(id, Row.of(1, "a", 1), NONE)),
                                                List.of(
                                                        update(id, 1, Row.of(10, "a", 1)),
                                                        new Insert(id, Row.of(2, "b", 2), NONE),
                                                        new Update(
                                                                id,
                                                                Row.of(2, "b", 2),
                                                                false,
                                                                Row.of(20, "b", 2),
                                                                NONE)))))
                .containsExactly(Row.of(10, "a", 1), Row.of(20, "b", 2));
    }

    @Test
    void appliesChangesOfATableWithoutKeyByWholeRow() {
        assertThat(
                        appliedToItems(
                                false,
                                List.of(SINK, KEYLESS_TABLES),
                                id ->
                                        List.of(
                                                List.of(
                                                        new Insert(id, Row.of(1, "a", 1), NONE),
                                                        new Insert(id, Row.of(2, "b", 2), NONE),
                                                        new Insert(id, Row.of(3, "c", 3), NONE)),
                                                List.of(
                                                        new Update(
                                                                id,
                                                                Row.of(2, "b", 2),
                                                                false,
                                                                Row.of(2, "b", 3),
                                                                NONE),
                                                        new Delete(
                                                                id,
                                                                Row.of(1, "a", 1),
                                                                false,
                                                                NONE)))))
                .containsExactly(Row.of(2, "b", 3), Row.of(3, "c", 3));
    }

    @Test
    void replayingTheSameChangesLeavesTheSameState() {
        Function<TableId, List<ChangeEvent>> changes =
                id ->
                        List.of(
                                new Insert(id, Row.of(1, "a", 1), NONE),
                                new Insert(id, Row.of(2, "b", 2), NONE),
                                update(id, 1, Row.of(1, "a", 10)),
                                delete(id, 2),
                                new Insert(id, Row.of(3, "c", 3), NONE));
        List<Row> once = appliedToItems(true, List.of(SINK), id -> List.of(changes.apply(id)));
        assertThat(
                        appliedToItems(
                                true,
                                List.of(SINK),
                                id -> List.of(changes.apply(id), changes.apply(id))))
                .containsExactlyElementsOf(once)
                .containsExactly(Row.of(1, "a", 10), Row.of(3, "c", 3));
    }

    @Test
    void writesATableCreatedWhileTheWriterIsOpen() {
        String db = createDatabase("tck_sink_new_table");
        try (Connector c = connector(db)) {
            require(c, SINK);
            TableSchema first = prepare(c, items(table(db, "items"), true));
            TableSchema second;
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(first, List.of(Row.of(1, "a", 1)), WriteMode.UPSERT);
                second = prepare(c, items(table(db, "later"), true));
                w.apply(second, List.of(new Insert(second.id(), Row.of(2, "b", 2), NONE)));
                w.flush();
            }
            assertThat(readBack(c, first)).containsExactly(Row.of(1, "a", 1));
            assertThat(readBack(c, second)).containsExactly(Row.of(2, "b", 2));
        }
    }

    // ---------------------------------------------------------------- schema changes

    @Test
    void addedColumnTakesTheRowsAfterIt() {
        List<Row> rows =
                evolved(
                        ADD_COLUMN,
                        id ->
                                new AddColumn(
                                        id, Column.of("extra", new DataType.Int64()), "qty", NONE),
                        List.of("id", "name", "qty", "extra"),
                        Row.of(2, "b", 2, 20L));
        assertThat(rows).containsExactly(Row.of(1, "a", 1, null), Row.of(2, "b", 2, 20L));
    }

    @Test
    void droppedColumnLeavesTheOthers() {
        List<Row> rows =
                evolved(
                        DROP_COLUMN,
                        id -> new DropColumn(id, "name", NONE),
                        List.of("id", "qty"),
                        Row.of(2, 2));
        assertThat(rows).containsExactly(Row.of(1, 1), Row.of(2, 2));
    }

    @Test
    void renamedColumnKeepsItsValues() {
        List<Row> rows =
                evolved(
                        RENAME_COLUMN,
                        id -> new RenameColumn(id, "name", "label", NONE),
                        List.of("id", "label", "qty"),
                        Row.of(2, "b", 2));
        assertThat(rows).containsExactly(Row.of(1, "a", 1), Row.of(2, "b", 2));
    }

    @Test
    void widenedColumnKeepsItsValuesAndTakesWiderOnes() {
        List<Row> rows =
                evolved(
                        WIDEN_COLUMN,
                        id -> new AlterColumnType(id, Column.of("qty", new DataType.Int64()), NONE),
                        List.of("id", "name", "qty"),
                        Row.of(2, "b", 5_000_000_000L));
        assertThat(rows).containsExactly(Row.of(1, "a", 1L), Row.of(2, "b", 5_000_000_000L));
    }

    /**
     * Writes row 1 into a new items table, applies a schema change, writes {@code next} with the
     * returned schema, and reads the table back ordered by id.
     */
    private List<Row> evolved(
            ConnectorBehavior behavior,
            Function<TableId, SchemaChange> change,
            List<String> columnsAfter,
            Row next) {
        String db = createDatabase("tck_sink_ddl");
        try (Connector c = connector(db)) {
            require(c, SINK_SCHEMA_CHANGES);
            require(c, behavior);
            TableId id = table(db, "items");
            TableSchema t = prepare(c, items(id, true));
            TableSchema after;
            try (SinkWriter w = c.sink().openWriter()) {
                w.apply(t, List.of(new Insert(id, Row.of(1, "a", 1), NONE)));
                after = w.applySchemaChange(t, change.apply(id));
                w.apply(after, List.of(new Insert(id, next, NONE)));
                w.flush();
            }
            assertThat(after.columnNames()).containsExactlyElementsOf(columnsAfter);
            return byId(readBack(c, after));
        }
    }

    // ---------------------------------------------------------------- replays and crashes

    @Test
    void exactlyOnceWriterSkipsChangesItAlreadyCommitted() {
        String db = createDatabase("tck_sink_exactly_once");
        try (Connector c = connector(db)) {
            require(c, EXACTLY_ONCE);
            TableId id = table(db, "items");
            TableSchema t = prepare(c, items(id, true));
            ChangeEvent insert = new Insert(id, Row.of(1, "a", 1), at(1));
            ChangeEvent update =
                    new Update(id, Row.of(1, null, null), true, Row.of(1, "a", 2), at(2));
            try (SinkWriter w = c.sink().openWriter("tck")) {
                assumeTrue(w.exactlyOnce(), "the pipeline's writer is not exactly-once");
                w.apply(t, List.of(insert, update));
                w.flush();
            }
            // A replay of the committed insert alone: an idempotent writer would set qty back to 1.
            try (SinkWriter w = c.sink().openWriter("tck")) {
                w.apply(t, List.of(insert));
                w.flush();
            }
            assertThat(readBack(c, t)).containsExactly(Row.of(1, "a", 2));
        }
    }

    @Test
    void chunkCommittedWithItsRowsIsKnownAsAppliedAfterARestart() {
        String db = createDatabase("tck_sink_chunks");
        try (Connector c = connector(db)) {
            require(c, EXACTLY_ONCE);
            TableId id = table(db, "items");
            TableSchema t = prepare(c, items(id, true));
            SnapshotSplit split = new SnapshotSplit(id, 0, "pk", null, null, 2);
            try (SinkWriter w = c.sink().openWriter("tck")) {
                assumeTrue(w.exactlyOnce(), "the pipeline's writer is not exactly-once");
                assertThat(w.chunkApplied("snap-1", split, t)).isFalse();
                w.write(t, List.of(Row.of(1, "a", 1), Row.of(2, "b", 2)), WriteMode.UPSERT);
                w.chunkDone("snap-1", split, t, 2);
                w.flush();
            }
            try (SinkWriter w = c.sink().openWriter("tck")) {
                assertThat(w.chunkApplied("snap-1", split, t)).isTrue();
                assertThat(w.chunkApplied("snap-2", split, t)).isFalse();
            }
            assertThat(byId(readBack(c, t))).containsExactly(Row.of(1, "a", 1), Row.of(2, "b", 2));
        }
    }

    @Test
    void writesNotFlushedBeforeACrashAreDiscardedAndTheReplayLandsExactly() {
        String db = createDatabase("tck_sink_crash");
        try (Connector c = connector(db)) {
            require(c, TRANSACTIONAL_WRITES);
            TableId id = table(db, "items");
            TableSchema t = prepare(c, items(id, true));
            List<ChangeEvent> changes =
                    List.of(
                            new Insert(id, Row.of(1, "a", 1), NONE),
                            new Insert(id, Row.of(2, "b", 2), NONE));
            try (SinkWriter w = c.sink().openWriter()) {
                w.apply(t, List.of(new Insert(id, Row.of(1, "a", 1), NONE)));
                // Closed without a flush: what a crash before the checkpoint does.
            }
            assertThat(readBack(c, t)).isEmpty();
            apply(c, t, changes);
            assertThat(byId(readBack(c, t))).containsExactly(Row.of(1, "a", 1), Row.of(2, "b", 2));
        }
    }

    // ---------------------------------------------------------------- steps

    /** Prepares a target table for a source schema of the same name; returns the target schema. */
    protected final TableSchema prepare(Connector c, TableSchema source) {
        return c.sink().prepareTable(source, source.id(), sourceType()).schema();
    }

    /**
     * In a new database, prepares an items table ({@link #items}), applies each list of changes
     * with a writer of its own, flushing it, and reads the table back ordered by id; skips unless
     * the connector has every behaviour in {@code needs}.
     */
    private List<Row> appliedToItems(
            boolean keyed,
            List<ConnectorBehavior> needs,
            Function<TableId, List<List<ChangeEvent>>> calls) {
        String db = createDatabase("tck_sink_apply");
        try (Connector c = connector(db)) {
            needs.forEach(b -> require(c, b));
            TableId id = table(db, "items");
            TableSchema t = prepare(c, items(id, keyed));
            for (List<ChangeEvent> changes : calls.apply(id)) {
                apply(c, t, changes);
            }
            return byId(readBack(c, t));
        }
    }

    /** An update of an items row, its old row given by key only. */
    private static Update update(TableId id, int oldKey, Row after) {
        return new Update(id, Row.of(oldKey, null, null), true, after, NONE);
    }

    /** A delete of an items row, given by key only. */
    private static Delete delete(TableId id, int key) {
        return new Delete(id, Row.of(key, null, null), true, NONE);
    }

    /** Writes batches of rows with a writer of its own and flushes them. */
    @SafeVarargs
    private static void written(Connector c, TableSchema t, WriteMode mode, List<Row>... batches) {
        try (SinkWriter w = c.sink().openWriter()) {
            for (List<Row> rows : batches) {
                w.write(t, rows, mode);
            }
            w.flush();
        }
    }

    /** Applies changes with a writer of its own and flushes them. */
    private static void apply(Connector c, TableSchema t, List<ChangeEvent> changes) {
        try (SinkWriter w = c.sink().openWriter()) {
            w.apply(t, changes);
            w.flush();
        }
    }

    private static EventMeta at(long commit) {
        return new EventMeta(null, null, null, new ChangeOrder(commit, 0));
    }

    /** The portable schema of {@code id int, name text, qty int}. */
    private static TableSchema items(TableId id, boolean keyed) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("name", DataType.StringType.unbounded()),
                        Column.of("qty", new DataType.Int32())),
                keyed ? List.of("id") : List.of());
    }

    /** A column of every portable type that every relational family can hold exactly. */
    protected static TableSchema portableMatrix(TableId id) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("id", new DataType.Int32(), false, null));
        columns.add(Column.of("c_bool", new DataType.BooleanType()));
        columns.add(Column.of("c_int16", new DataType.Int16()));
        columns.add(Column.of("c_int64", new DataType.Int64()));
        columns.add(Column.of("c_decimal", new DataType.DecimalType(12, 4)));
        columns.add(Column.of("c_float64", new DataType.Float64()));
        columns.add(Column.of("c_text", DataType.StringType.unbounded()));
        columns.add(Column.of("c_varchar", new DataType.StringType(20, false)));
        columns.add(Column.of("c_bytes", new DataType.BinaryType(DataType.UNBOUNDED)));
        columns.add(Column.of("c_date", new DataType.DateType()));
        columns.add(Column.of("c_time", new DataType.TimeType(6)));
        columns.add(Column.of("c_timestamp", new DataType.TimestampType(6)));
        columns.add(Column.of("c_timestamptz", new DataType.TimestampTzType(6)));
        columns.add(Column.of("c_uuid", new DataType.UuidType()));
        columns.add(Column.of("c_json", new DataType.JsonType(false)));
        return new TableSchema(id, columns, List.of("id"));
    }

    /** A column of each type that MySQL brings and PostgreSQL does not have as such. */
    protected static TableSchema otherSystemsMatrix(TableId id) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("c_uint64", new DataType.UInt64()),
                        Column.of("c_duration", new DataType.DurationType(6)),
                        Column.of("c_year", new DataType.YearType()),
                        Column.of("c_bit", new DataType.BitType(10, false)),
                        Column.of("c_set", COLOURS)),
                List.of("id"));
    }

    private static final DataType.SetType COLOURS =
            new DataType.SetType(List.of("red", "green", "blue"));

    /** Row 1 all NULL, then the highest, the lowest and a middle value of each type. */
    protected static List<Row> otherSystemsRows() {
        return List.of(
                new Row(new Object[] {1, null, null, null, null, null}),
                Row.of(
                        2,
                        BigInteger.TWO.pow(64).subtract(BigInteger.ONE),
                        Duration.ofHours(838).plusMinutes(59).plusSeconds(59),
                        (short) 2155,
                        "1111111111",
                        COLOURS.values()),
                Row.of(
                        3,
                        BigInteger.ZERO,
                        Duration.ofHours(-838).minusMinutes(59).minusSeconds(59),
                        (short) 1901,
                        "0000000000",
                        List.of()),
                Row.of(
                        4,
                        BigInteger.TWO.pow(63),
                        Duration.ofHours(25).plusNanos(123_456_000),
                        (short) 0,
                        "1000000001",
                        List.of("red", "blue")));
    }

    /** Row 1 all NULL, then typical, lowest and highest values; wall-clock times in a DST gap. */
    protected static List<Row> portableRows() {
        Object[] nulls = new Object[15];
        nulls[0] = 1;
        return List.of(
                new Row(nulls),
                Row.of(
                        2,
                        true,
                        (short) 1,
                        3L,
                        new BigDecimal("1.5000"),
                        1.5d,
                        "quotes ' \" backslash \\ tab\t newline\n emoji \uD83D\uDE00",
                        "varchar",
                        new byte[] {0, 1, 2, (byte) 255},
                        LocalDate.of(2024, 2, 29),
                        LocalTime.of(12, 34, 56, 123_456_000),
                        // 02:30 does not exist in New York that day: a wall clock never shifts.
                        LocalDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000),
                        OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000, ZoneOffset.UTC),
                        UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
                        "{\"a\": [1, 2, {\"b\": null}]}"),
                Row.of(
                        3,
                        false,
                        Short.MIN_VALUE,
                        Long.MIN_VALUE,
                        new BigDecimal("-99999999.9999"),
                        -Double.MAX_VALUE,
                        "",
                        "",
                        new byte[0],
                        LocalDate.of(1970, 1, 1),
                        LocalTime.MIDNIGHT,
                        LocalDateTime.of(1970, 1, 1, 0, 0),
                        OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                        new UUID(0, 0),
                        "[]"),
                Row.of(
                        4,
                        true,
                        Short.MAX_VALUE,
                        Long.MAX_VALUE,
                        new BigDecimal("99999999.9999"),
                        Double.MAX_VALUE,
                        "\u00fcn\u00efc\u00f8d\u00e9",
                        "exactly twenty chars",
                        new byte[] {(byte) 0xff, 0, (byte) 0xfe},
                        LocalDate.of(9999, 12, 31),
                        LocalTime.of(23, 59, 59, 999_999_000),
                        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                        OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
                        new UUID(-1, -1),
                        "{}"));
    }
}
