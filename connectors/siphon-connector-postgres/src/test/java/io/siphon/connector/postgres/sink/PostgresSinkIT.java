package io.siphon.connector.postgres.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the sink prepares target tables and what each write mode leaves at the target. */
class PostgresSinkIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId ORDERS = TableId.of("shop", "orders");
    private static final TableSchema ORDERS_SCHEMA =
            new TableSchema(
                    TableId.of("src", "orders"),
                    List.of(
                            new Column("id", new DataType.Int64(), false, null),
                            new Column("customer", new DataType.StringType(40, false), true, null),
                            new Column("total", new DataType.DecimalType(10, 2), true, null),
                            new Column("placed", new DataType.DateType(), true, null)),
                    List.of("id"));
    private static final TableSchema KEYLESS_SCHEMA =
            new TableSchema(
                    TableId.of("src", "log"),
                    List.of(
                            Column.of("at", new DataType.DateType()),
                            Column.of("message", DataType.StringType.unbounded()),
                            Column.of("doc", new DataType.JsonType(false))),
                    List.of());

    private String db;
    private PostgresConnector sink;

    @BeforeEach
    void freshTarget() {
        db = PG.server().createDatabase("sink");
        sink = Pg.connector(PG.server(), db);
    }

    @AfterEach
    void closeSink() {
        sink.close();
    }

    private static Row order(long id, String customer, String total) {
        return Row.of(id, customer, new BigDecimal(total), LocalDate.of(2024, 5, 1));
    }

    private List<String> select(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = PG.server().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
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

    private void write(TableSchema table, WriteMode mode, List<Row> rows) {
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(table, rows, mode);
            w.flush();
        }
    }

    @Test
    void createsAMissingTableWithPortableTypesForAnotherSource() throws Exception {
        PreparedTable prepared = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql");
        assertThat(prepared.created()).isTrue();
        assertThat(prepared.empty()).isTrue();
        assertThat(prepared.schema().id()).isEqualTo(ORDERS);
        assertThat(
                        select(
                                "SELECT attname, format_type(atttypid, atttypmod), attnotnull"
                                        + " FROM pg_attribute WHERE attrelid = 'shop.orders'::regclass"
                                        + " AND attnum > 0 ORDER BY attnum"))
                .containsExactly(
                        "id|bigint|t",
                        "customer|character varying(40)|f",
                        "total|numeric(10,2)|f",
                        "placed|date|f");
        assertThat(sink.discover(Pg.tables("shop.orders")).get(0).primaryKey())
                .containsExactly("id");
    }

    @Test
    void anExistingTableIsKeptAndReportedNotEmpty() {
        PG.server()
                .execute(
                        db,
                        "CREATE SCHEMA shop",
                        "CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer text,"
                                + " total numeric, placed date, extra text DEFAULT 'x')",
                        "INSERT INTO shop.orders (id) VALUES (1)");
        PreparedTable prepared = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "postgres");
        assertThat(prepared.created()).isFalse();
        assertThat(prepared.empty()).isFalse();
    }

    @Test
    void anExistingTableMissingColumnsIsASchemaMismatchWithTheAlterStatement() {
        PG.server()
                .execute(
                        db,
                        "CREATE SCHEMA shop",
                        "CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer text)");
        assertThatThrownBy(() -> sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql"))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "Table shop.orders at the target lacks the columns"
                                                    + " [total, placed] of source table"
                                                    + " src.orders. Run: ALTER TABLE"
                                                    + " \"shop\".\"orders\" ADD COLUMN \"total\""
                                                    + " numeric(10,2); ALTER TABLE"
                                                    + " \"shop\".\"orders\" ADD COLUMN \"placed\""
                                                    + " date;");
                        });
    }

    @Test
    void anExistingTableWithoutTheKeyCannotTakeUpserts() {
        PG.server()
                .execute(
                        db,
                        "CREATE SCHEMA shop",
                        "CREATE TABLE shop.orders (id bigint, customer text, total numeric,"
                                + " placed date)");
        assertThatThrownBy(() -> sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql"))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
                            assertThat(e.getMessage())
                                    .endsWith(
                                            "Run: ALTER TABLE \"shop\".\"orders\" ADD PRIMARY KEY"
                                                    + " (\"id\");");
                        });
    }

    @Test
    void upsertingTheSameRowsTwiceLeavesTheSameRows() throws Exception {
        TableSchema target = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        List<Row> rows = List.of(order(1, "ann", "10.00"), order(2, "bob", "20.50"));
        write(target, WriteMode.UPSERT, rows);
        write(target, WriteMode.UPSERT, rows);
        assertThat(select("SELECT * FROM shop.orders ORDER BY id"))
                .containsExactly("1|ann|10.00|2024-05-01", "2|bob|20.50|2024-05-01");
    }

    @Test
    void upsertsOverwriteByKeyAndTheLastRowOfAKeyInABatchWins() throws Exception {
        TableSchema target = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        write(target, WriteMode.BULK_APPEND, List.of(order(1, "ann", "10.00")));
        write(
                target,
                WriteMode.UPSERT,
                List.of(
                        order(1, "ann", "11.00"),
                        order(2, "bob", "1.00"),
                        order(1, "ann", "12.00"),
                        order(2, null, "2.00")));
        assertThat(select("SELECT * FROM shop.orders ORDER BY id"))
                .containsExactly("1|ann|12.00|2024-05-01", "2|NULL|2.00|2024-05-01");
    }

    @Test
    void keylessUpsertsDoNotDuplicateRows() throws Exception {
        TableId log = TableId.of("shop", "log");
        TableSchema target = sink.sink().prepareTable(KEYLESS_SCHEMA, log, "mysql").schema();
        LocalDate day = LocalDate.of(2024, 1, 1);
        List<Row> rows =
                List.of(
                        Row.of(day, "a", "{\"x\": 1}"),
                        Row.of(day, null, null),
                        Row.of(null, "", "[]"),
                        Row.of(day, "a", "{\"x\": 1}"));
        write(target, WriteMode.UPSERT, rows);
        write(target, WriteMode.UPSERT, rows);
        write(target, WriteMode.UPSERT, List.of(Row.of(day, "a", "{\"x\":1}")));
        assertThat(select("SELECT at, message, doc FROM shop.log ORDER BY 1, 2, 3::text"))
                .containsExactly(
                        "2024-01-01|a|{\"x\": 1}",
                        "2024-01-01|a|{\"x\":1}",
                        "2024-01-01|NULL|NULL",
                        "NULL||[]");
    }

    @Test
    void bulkAppendsStayInOneTransactionUntilFlush() throws Exception {
        TableSchema target = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        TableSchema log =
                sink.sink().prepareTable(KEYLESS_SCHEMA, TableId.of("shop", "log"), "x").schema();
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(target, List.of(order(1, "a", "1")), WriteMode.BULK_APPEND);
            w.write(target, List.of(order(2, "b", "2")), WriteMode.BULK_APPEND);
            w.write(log, List.of(Row.of(null, "between", null)), WriteMode.BULK_APPEND);
            w.write(target, List.of(order(3, "c", "3")), WriteMode.BULK_APPEND);
            assertThat(select("SELECT count(*) FROM shop.orders")).containsExactly("0");
            w.flush();
            assertThat(select("SELECT count(*) FROM shop.orders")).containsExactly("3");
            w.write(target, List.of(order(4, "d", "4")), WriteMode.BULK_APPEND);
        }
        assertThat(select("SELECT id FROM shop.orders ORDER BY id")).containsExactly("1", "2", "3");
        assertThat(select("SELECT message FROM shop.log")).containsExactly("between");
    }

    @Test
    void tablesOfBuiltInTypesAreCopiedInBinaryAndOthersInText() throws Exception {
        TableSchema orders = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        TableSchema hosts =
                sink.sink()
                        .prepareTable(
                                new TableSchema(
                                        TableId.of("src", "hosts"),
                                        List.of(
                                                new Column("id", new DataType.Int64(), false, null),
                                                Column.of("addr", new DataType.OtherType("inet"))),
                                        List.of("id")),
                                TableId.of("shop", "hosts"),
                                "postgres")
                        .schema();
        try (Connection c = PG.server().connect(db)) {
            assertThat(TargetTable.load(c, orders).binaryEncoders()).hasSize(4);
            assertThat(TargetTable.load(c, orders).copyIntoTarget()).endsWith("(FORMAT binary)");
            assertThat(TargetTable.load(c, hosts).binaryEncoders()).isNull();
            assertThat(TargetTable.load(c, hosts).copyIntoTarget()).endsWith("FROM STDIN");
            // point has an element type (float8) but is no array: text, not float8[]'s format.
            PG.server().execute(db, "CREATE TABLE shop.pts (id bigint PRIMARY KEY, p point)");
            TableSchema points =
                    new TableSchema(
                            TableId.of("shop", "pts"),
                            List.of(
                                    new Column("id", new DataType.Int64(), false, null),
                                    Column.of("p", new DataType.ArrayType(new DataType.Float64()))),
                            List.of("id"));
            assertThat(TargetTable.load(c, points).binaryEncoders()).isNull();
        }
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(orders, List.of(order(1, "a\tb\n", "-0.01")), WriteMode.BULK_APPEND);
            w.write(hosts, List.of(Row.of(1L, "10.0.0.1/8")), WriteMode.BULK_APPEND);
            w.write(orders, List.of(order(2, null, "12345678.9")), WriteMode.BULK_APPEND);
            w.write(orders, List.of(order(2, "b", "7")), WriteMode.UPSERT);
            w.flush();
        }
        assertThat(select("SELECT id, customer, total, placed FROM shop.orders ORDER BY id"))
                .containsExactly("1|a\tb\n|-0.01|2024-05-01", "2|b|7.00|2024-05-01");
        assertThat(select("SELECT addr FROM shop.hosts")).containsExactly("10.0.0.1/8");
    }

    @Test
    void aFailedWriteDiscardsTheTransactionAndTheWriterRefusesMore() throws Exception {
        TableSchema target = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(target, List.of(order(1, "a", "1")), WriteMode.BULK_APPEND);
            assertThatThrownBy(
                            () -> {
                                w.write(
                                        target,
                                        List.of(order(1, "Zed Secret", "1")),
                                        WriteMode.BULK_APPEND);
                                w.flush();
                            })
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.SINK_WRITE_FAILED);
                                assertThat(e.getMessage())
                                        .contains("duplicate key value violates unique constraint")
                                        .doesNotContain("Zed Secret");
                            });
            assertThatThrownBy(() -> w.write(target, List.of(order(2, "b", "2")), WriteMode.UPSERT))
                    .isInstanceOf(SiphonException.class)
                    .hasMessageContaining("failed earlier");
        }
        assertThat(select("SELECT count(*) FROM shop.orders")).containsExactly("0");
    }

    @Test
    void aValueOfTheWrongClassIsDataInvalidNamingTheColumn() {
        TableSchema target = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        try (SinkWriter w = sink.sink().openWriter()) {
            assertThatThrownBy(
                            () ->
                                    w.write(
                                            target,
                                            List.of(Row.of(1L, "a", "12.50", null)),
                                            WriteMode.UPSERT))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID);
                                assertThat(e.getMessage())
                                        .contains("column total of shop.orders")
                                        .doesNotContain("12.50");
                            });
        }
    }

    @Test
    void createsTheSourcesEnumTypeAndChecksAnExistingOne() throws Exception {
        DataType.EnumType mood = new DataType.EnumType("moods.mood", List.of("sad", "happy"));
        TableSchema source =
                new TableSchema(
                        TableId.of("public", "people"),
                        List.of(
                                new Column("id", new DataType.Int32(), false, "integer"),
                                new Column("mood", mood, true, "moods.mood"),
                                new Column(
                                        "moods",
                                        new DataType.ArrayType(mood),
                                        true,
                                        "moods.mood[]")),
                        List.of("id"));
        TableSchema target =
                sink.sink()
                        .prepareTable(source, TableId.of("public", "people"), "postgres")
                        .schema();
        write(target, WriteMode.BULK_APPEND, List.of(Row.of(1, "happy", List.of("sad", "happy"))));
        assertThat(select("SELECT mood, moods, pg_typeof(mood) FROM people"))
                .containsExactly("happy|{sad,happy}|moods.mood");

        DataType.EnumType more =
                new DataType.EnumType("moods.mood", List.of("sad", "happy", "meh"));
        TableSchema changed =
                new TableSchema(
                        TableId.of("public", "other"),
                        List.of(new Column("m", more, true, "moods.mood")),
                        List.of());
        assertThatThrownBy(
                        () ->
                                sink.sink()
                                        .prepareTable(
                                                changed, TableId.of("public", "other"), "postgres"))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
                            assertThat(e.getMessage())
                                    .endsWith(
                                            "Run: ALTER TYPE \"moods\".\"mood\" ADD VALUE E'meh';");
                        });
    }

    @Test
    void aCompositeTypeMissingAtTheTargetBecomesJson() throws Exception {
        TableSchema source =
                new TableSchema(
                        TableId.of("public", "homes"),
                        List.of(
                                new Column("id", new DataType.Int32(), false, "integer"),
                                new Column(
                                        "address",
                                        new DataType.JsonType(false),
                                        true,
                                        "geo.address")),
                        List.of("id"));
        TableSchema target =
                sink.sink()
                        .prepareTable(source, TableId.of("public", "homes"), "postgres")
                        .schema();
        write(target, WriteMode.BULK_APPEND, List.of(Row.of(1, "{\"street\":\"Main\"}")));
        assertThat(select("SELECT address, pg_typeof(address) FROM homes"))
                .containsExactly("{\"street\":\"Main\"}|json");
    }

    @Test
    void aWriterWhoseConnectionIsKilledReportsARetriableLossAndLeavesNothing() throws Exception {
        TableSchema target = sink.sink().prepareTable(ORDERS_SCHEMA, ORDERS, "mysql").schema();
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(target, List.of(order(1, "a", "1")), WriteMode.UPSERT);
            PG.server()
                    .execute(
                            db,
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                    + " WHERE application_name = 'siphon' AND state LIKE 'idle in"
                                    + " transaction%'");
            assertThatThrownBy(
                            () -> {
                                w.write(target, List.of(order(2, "b", "2")), WriteMode.UPSERT);
                                w.flush();
                            })
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_LOST));
        }
        assertThat(select("SELECT count(*) FROM shop.orders")).containsExactly("0");
    }
}
