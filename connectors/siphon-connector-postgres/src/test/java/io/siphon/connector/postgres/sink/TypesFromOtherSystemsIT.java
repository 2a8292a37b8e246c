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
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Types that PostgreSQL sources never produce (MySQL's BIGINT UNSIGNED, TIME beyond a day, YEAR,
 * BIT(n), SET) get columns that hold every value, and land exactly, through the binary COPY, the
 * text COPY (a table with a column kept as text) and upserts.
 */
class TypesFromOtherSystemsIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final DataType.SetType COLOURS =
            new DataType.SetType(List.of("red", "green", "blue"));
    private static final List<Column> COLUMNS =
            List.of(
                    new Column("id", new DataType.Int32(), false, null),
                    Column.of("u64", new DataType.UInt64()),
                    Column.of("span", new DataType.DurationType(6)),
                    Column.of("yr", new DataType.YearType()),
                    Column.of("flags", new DataType.BitType(10, false)),
                    Column.of("mask", new DataType.BitType(64, true)),
                    Column.of("colours", COLOURS));
    private static final BigInteger U64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    private static final Duration TIME_MIN =
            Duration.ofHours(-838).minusMinutes(59).minusSeconds(59);

    private String db;
    private PostgresConnector sink;

    @BeforeEach
    void freshTarget() {
        db = PG.server().createDatabase("types");
        sink = Pg.connector(PG.server(), db);
    }

    @AfterEach
    void closeSink() {
        sink.close();
    }

    private static List<Row> rows() {
        return List.of(
                Row.of(
                        1,
                        U64_MAX,
                        Duration.ofHours(838).plusMinutes(59).plusSeconds(59),
                        (short) 2155,
                        "1010101010",
                        "1",
                        List.of("red", "blue")),
                Row.of(2, BigInteger.ZERO, TIME_MIN, (short) 0, "0000000000", "", List.of()),
                Row.of(
                        3,
                        BigInteger.TWO.pow(63),
                        Duration.ofHours(25).plusNanos(1_000),
                        (short) 1901,
                        "1111111111",
                        "1".repeat(64),
                        COLOURS.values()),
                Row.of(4, null, null, null, null, null, null));
    }

    private static final List<String> EXPECTED =
            List.of(
                    "1|18446744073709551615|838:59:59|2155|1010101010|1|{red,blue}",
                    "2|0|-838:59:59|0|0000000000||{}",
                    "3|9223372036854775808|25:00:00.000001|1901|1111111111|"
                            + "1".repeat(64)
                            + "|{red,green,blue}",
                    "4|NULL|NULL|NULL|NULL|NULL|NULL");

    private static TableSchema schema(String table, List<Column> columns) {
        return new TableSchema(TableId.of("src", table), columns, List.of("id"));
    }

    private void write(TableSchema table, TableId target, WriteMode mode, List<Row> rows) {
        sink.sink().prepareTable(table, target, "mysql");
        try (SinkWriter w = sink.sink().openWriter()) {
            w.write(table.withId(target), rows, mode);
            w.flush();
        }
    }

    private List<String> select(String sql) throws Exception {
        return Pg.rows(PG.server(), db, sql);
    }

    private List<String> values(TableId table) throws Exception {
        return select(
                "SELECT id, u64, span, yr, flags, mask, colours FROM "
                        + table.schema()
                        + "."
                        + table.table()
                        + " ORDER BY id");
    }

    @Test
    void createsColumnsThatHoldEveryValue() throws Exception {
        TableId target = TableId.of("public", "created");
        sink.sink().prepareTable(schema("created", COLUMNS), target, "mysql");
        assertThat(
                        select(
                                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                                        + " WHERE attrelid = 'public.created'::regclass"
                                        + " AND attnum > 0 ORDER BY attnum"))
                .containsExactly(
                        "id|integer",
                        "u64|numeric(20,0)",
                        "span|interval(6)",
                        "yr|smallint",
                        "flags|bit(10)",
                        "mask|bit varying(64)",
                        "colours|text[]");
    }

    @Test
    void bulkCopyInBinaryWritesEveryValueExactly() throws Exception {
        TableId target = TableId.of("public", "binary_copy");
        write(schema("binary_copy", COLUMNS), target, WriteMode.BULK_APPEND, rows());
        assertThat(values(target)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void bulkCopyInTextWritesEveryValueExactly() throws Exception {
        // An enum kept as text has no binary encoding, so the whole table goes in text format.
        List<Column> columns = new ArrayList<>(COLUMNS);
        columns.add(Column.of("mood", new DataType.EnumType(null, List.of("ok"))));
        List<Row> rows = new ArrayList<>();
        for (Row r : rows()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                values.add(r.get(i));
            }
            values.add("ok");
            rows.add(Row.of(values.toArray()));
        }
        TableId target = TableId.of("public", "text_copy");
        write(schema("text_copy", columns), target, WriteMode.BULK_APPEND, rows);
        assertThat(values(target)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void upsertsOverwriteEveryValueExactly() throws Exception {
        TableId target = TableId.of("public", "upserted");
        TableSchema table = schema("upserted", COLUMNS);
        List<Row> first = new ArrayList<>();
        for (Row r : rows()) {
            first.add(
                    Row.of(
                            r.get(0),
                            BigInteger.ONE,
                            Duration.ZERO,
                            (short) 2000,
                            "0000000001",
                            "0",
                            List.of("green")));
        }
        write(table, target, WriteMode.BULK_APPEND, first);
        write(table, target, WriteMode.UPSERT, rows());
        assertThat(values(target)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void textWithNulIsRefusedNamingTheColumn() {
        TableSchema table =
                schema(
                        "notes",
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("note", DataType.StringType.unbounded())));
        TableId target = TableId.of("public", "notes");
        assertThatThrownBy(
                        () ->
                                write(
                                        table,
                                        target,
                                        WriteMode.BULK_APPEND,
                                        List.of(Row.of(1, "a\0b"))))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID);
                            assertThat(e.getMessage()).contains("note", "U+0000");
                        });
    }
}
