package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.types.CopyBinaryEncoder;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.TemporalLimits;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every PostgreSQL type survives source → Java values → target unchanged, through the bulk COPY
 * path and the upsert path, in a JVM whose zone differs from the server's.
 */
class TypeMatrixRoundTripIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static String sourceDb;
    private static PostgresConnector source;
    private static TableSchema schema;
    private static List<Row> rows;

    @BeforeAll
    static void readTheMatrix() {
        sourceDb = PG.server().createDatabase("matrix");
        PostgresTypeMatrix.sourceStatements().forEach(sql -> PG.server().execute(sourceDb, sql));
        source = Pg.connector(PG.server(), sourceDb);
        schema = Pg.discover(source, PostgresTypeMatrix.TABLE);
        rows = Pg.readAll(source, schema, 2);
        rows.sort(Comparator.comparing(r -> (Integer) r.get(0)));
    }

    @Test
    void jvmRunsInAnotherZoneThanTheServer() {
        assertThat(java.util.TimeZone.getDefault().getID()).isEqualTo("America/New_York");
    }

    @Test
    void readsEveryRowOnceAcrossSeveralSplits() {
        assertThat(rows).extracting(r -> r.get(0)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(source.snapshotSource().planSplits(schema, 2)).hasSizeGreaterThan(1);
    }

    @Test
    void bulkAppendCopiesEveryValueExactly() throws Exception {
        String target = PG.server().createDatabase("bulk");
        PostgresTypeMatrix.targetPrerequisites().forEach(sql -> PG.server().execute(target, sql));
        try (PostgresConnector sink = Pg.connector(PG.server(), target)) {
            Pg.copy(sink, schema, PostgresTypeMatrix.TABLE, rows, WriteMode.BULK_APPEND);
        }
        var result =
                Pg.compare(
                        PG.server(),
                        sourceDb,
                        PostgresTypeMatrix.TABLE,
                        target,
                        PostgresTypeMatrix.TABLE);
        assertThat(result.differences()).isEmpty();
        assertThat(result.equal()).isTrue();
        assertThat(result.rightRows()).isEqualTo(PostgresTypeMatrix.ROWS);
    }

    @Test
    void bulkAppendWithoutACompositeColumnStreamsStraightIntoTheTarget() throws Exception {
        // The composite column makes the writer convert on the server; without it every value
        // goes through the plain COPY text encoding.
        int address = schema.indexOf("c_address");
        List<Column> columns = new ArrayList<>(schema.columns());
        columns.remove(address);
        TableSchema plain = new TableSchema(schema.id(), columns, schema.primaryKey());
        List<Row> plainRows = new ArrayList<>();
        for (Row row : rows) {
            List<Object> values = new ArrayList<>(Arrays.asList(row.values()));
            values.remove(address);
            plainRows.add(new Row(values.toArray()));
        }
        String target = PG.server().createDatabase("plain");
        try (PostgresConnector sink = Pg.connector(PG.server(), target)) {
            Pg.copy(sink, plain, PostgresTypeMatrix.TABLE, plainRows, WriteMode.BULK_APPEND);
        }
        var result =
                Pg.compare(
                        PG.server(),
                        target,
                        PostgresTypeMatrix.TABLE,
                        sourceDb,
                        PostgresTypeMatrix.TABLE);
        assertThat(result.differences()).isEmpty();
        assertThat(result.equal()).isTrue();
    }

    /**
     * The matrix's columns whose every value has an exact binary COPY encoding into a target column
     * of the same type: the writer copies a table of only these in binary format.
     */
    private static List<Integer> binaryEncodableColumns() throws Exception {
        Map<String, long[]> oids = new HashMap<>();
        try (Connection c = PG.server().connect(sourceDb);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT a.attname, a.atttypid::int8, t.typelem::int8"
                                        + " FROM pg_attribute a JOIN pg_type t ON t.oid ="
                                        + " a.atttypid WHERE a.attrelid = ?::regclass AND"
                                        + " a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, SqlText.quote(PostgresTypeMatrix.TABLE));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oids.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        List<Integer> encodable = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            Column column = schema.columns().get(i);
            long[] oid = oids.get(column.name());
            if (CopyBinaryEncoder.forColumn(column.type(), oid[0], oid[1]) != null) {
                encodable.add(i);
            }
        }
        return encodable;
    }

    private static TableSchema only(List<Integer> indexes) {
        List<Column> columns = new ArrayList<>();
        indexes.forEach(i -> columns.add(schema.columns().get(i)));
        return new TableSchema(schema.id(), columns, schema.primaryKey());
    }

    private static List<Row> onlyValues(List<Integer> indexes) {
        List<Row> out = new ArrayList<>();
        for (Row row : rows) {
            Object[] values = new Object[indexes.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = row.get(indexes.get(k));
            }
            out.add(new Row(values));
        }
        return out;
    }

    @Test
    void binaryCopyOfTheEncodableTypesCopiesEveryValueExactly() throws Exception {
        List<Integer> encodable = binaryEncodableColumns();
        TableSchema binary = only(encodable);
        // The common types, special values and arrays of them are all in the binary table.
        assertThat(binary.columns())
                .extracting(c -> c.type().getClass().getSimpleName())
                .contains(
                        "BooleanType",
                        "Int16",
                        "Int32",
                        "Int64",
                        "DecimalType",
                        "Float32",
                        "Float64",
                        "StringType",
                        "BinaryType",
                        "DateType",
                        "TimeType",
                        "TimestampType",
                        "TimestampTzType",
                        "IntervalType",
                        "UuidType",
                        "JsonType",
                        "ArrayType");
        assertThat(binary.columns().size()).isGreaterThan(schema.columns().size() / 2);
        for (WriteMode mode : WriteMode.values()) {
            String target = PG.server().createDatabase("binary");
            try (PostgresConnector sink = Pg.connector(PG.server(), target)) {
                Pg.copy(sink, binary, PostgresTypeMatrix.TABLE, onlyValues(encodable), mode);
            }
            var result =
                    Pg.compare(
                            PG.server(),
                            target,
                            PostgresTypeMatrix.TABLE,
                            sourceDb,
                            PostgresTypeMatrix.TABLE);
            assertThat(result.differences()).as(mode.name()).isEmpty();
            assertThat(result.equal()).as(mode.name()).isTrue();
            assertThat(result.leftRows()).isEqualTo(PostgresTypeMatrix.ROWS);
        }
    }

    @Test
    void upsertingTheSameRowsTwiceLeavesAnEqualTable() throws Exception {
        String target = PG.server().createDatabase("upsert");
        PostgresTypeMatrix.targetPrerequisites().forEach(sql -> PG.server().execute(target, sql));
        try (PostgresConnector sink = Pg.connector(PG.server(), target)) {
            Pg.copy(sink, schema, PostgresTypeMatrix.TABLE, rows, WriteMode.UPSERT);
            Pg.copy(sink, schema, PostgresTypeMatrix.TABLE, rows, WriteMode.UPSERT);
        }
        var result =
                Pg.compare(
                        PG.server(),
                        sourceDb,
                        PostgresTypeMatrix.TABLE,
                        target,
                        PostgresTypeMatrix.TABLE);
        assertThat(result.differences()).isEmpty();
        assertThat(result.equal()).isTrue();
    }

    @Test
    void theAllNullRowIsAllNull() {
        Object[] values = rows.get(0).values();
        assertThat(Arrays.asList(values).subList(1, values.length)).containsOnlyNulls();
    }

    @Test
    void mapsTypesAsDocumented() {
        assertThat(type("c_numeric_scaled")).isEqualTo(new DataType.DecimalType(12, 4));
        assertThat(type("c_numeric_negative_scale")).isEqualTo(new DataType.DecimalType(5, -2));
        assertThat(type("c_money"))
                .isEqualTo(new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED));
        assertThat(type("c_varchar")).isEqualTo(new DataType.StringType(20, false));
        assertThat(type("c_char")).isEqualTo(new DataType.StringType(5, true));
        assertThat(type("c_time3")).isEqualTo(new DataType.TimeType(3));
        assertThat(type("c_timestamptz3")).isEqualTo(new DataType.TimestampTzType(3));
        assertThat(type("c_timetz")).isEqualTo(new DataType.OtherType("timetz"));
        assertThat(type("c_jsonb")).isEqualTo(new DataType.JsonType(true));
        assertThat(type("c_int4range")).isEqualTo(new DataType.OtherType("int4range"));
        assertThat(type("c_mood"))
                .isEqualTo(
                        new DataType.EnumType(
                                "public.mood", List.of("sad", "ok", "happy", "very \"happy\"")));
        assertThat(type("c_positive")).isEqualTo(new DataType.Int32());
        assertThat(schema.column("c_positive").nativeType()).isEqualTo("integer");
        assertThat(type("c_short_text")).isEqualTo(new DataType.StringType(10, false));
        assertThat(schema.column("c_short_text").nativeType()).isEqualTo("character varying(10)");
        assertThat(type("c_address")).isEqualTo(new DataType.JsonType(false));
        assertThat(schema.column("c_address").nativeType()).isEqualTo("public.address");
        assertThat(type("c_int4_matrix")).isEqualTo(new DataType.ArrayType(new DataType.Int32()));
        assertThat(type("c_positive_array"))
                .isEqualTo(new DataType.ArrayType(new DataType.Int32()));
        assertThat(schema.column("c_positive_array").nativeType()).isEqualTo("integer[]");
        assertThat(type("c_address_array")).isEqualTo(new DataType.OtherType("public.address[]"));
        assertThat(type("c_box_array"))
                .isEqualTo(new DataType.ArrayType(new DataType.OtherType("box")));
        List<String> expectedColumns = new ArrayList<>(List.of("id"));
        expectedColumns.addAll(PostgresTypeMatrix.columnNames());
        assertThat(schema.columnNames()).isEqualTo(expectedColumns);
        assertThat(schema.primaryKey()).containsExactly("id");
        assertThat(schema.column("id").nullable()).isFalse();
    }

    @Test
    void decodesNumbersAtTheirLimits() {
        assertThat(value(3, "c_int8")).isEqualTo(Long.MIN_VALUE);
        assertThat(value(3, "c_numeric"))
                .isEqualTo(
                        new BigDecimal(
                                "-123456789012345678901234567890.123456789012345678901234567890"));
        assertThat(value(4, "c_numeric")).isEqualTo(Double.NaN);
        assertThat(value(5, "c_numeric")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(value(6, "c_numeric")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(value(2, "c_numeric_tiny")).isEqualTo(new BigDecimal("0.00000"));
        assertThat(value(5, "c_numeric_tiny")).isEqualTo(new BigDecimal("1.500"));
        assertThat(value(4, "c_money")).isEqualTo(new BigDecimal("92233720368547758.07"));
        assertThat(value(6, "c_float4")).isEqualTo(-0.0f);
        assertThat(value(5, "c_float4")).isEqualTo(Float.NaN);
        assertThat(value(4, "c_float8")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void decodesTextAndBytesUnchanged() {
        assertThat(value(4, "c_text"))
                .isEqualTo(
                        "tab\there\nnew line\r\nCR \\ backslash 'single' \"double\" emoji \uD83D\uDE00"
                                + " \u00fcn\u00efc\u00f8d\u00e9");
        assertThat(value(3, "c_text")).isEqualTo("");
        assertThat(value(2, "c_char")).isEqualTo("ab   ");
        assertThat(value(4, "c_bytea")).isEqualTo(new byte[] {0, (byte) 0xff, 0});
        assertThat(value(3, "c_bytea")).isEqualTo(new byte[0]);
        assertThat(value(2, "c_mood")).isEqualTo("happy");
        assertThat(value(2, "c_address"))
                .isEqualTo(
                        "{\"street\":\"Main \\\"St\\\"\",\"number\":42,\"amount\":1.50,"
                                + "\"verified\":true,\"since\":\"2020-01-01\"}");
        assertThat(value(2, "c_json"))
                .isEqualTo("{\"a\": \"caf\u00e9 \uD83D\uDE00\", \"b\" : [1, 2.50]}");
        assertThat(value(2, "c_jsonb")).isEqualTo("{\"a\": [true, null], \"b\": 1}");
        assertThat(value(2, "c_inet")).isEqualTo("192.168.0.1/24");
        assertThat(value(2, "c_uuid"))
                .isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    }

    @Test
    void decodesDatesAndTimesWithoutShiftingThem() {
        assertThat(value(3, "c_date")).isEqualTo(LocalDate.of(-4712, 1, 1));
        assertThat(value(4, "c_date")).isEqualTo(LocalDate.of(5874897, 12, 31));
        assertThat(value(5, "c_date")).isEqualTo(LocalDate.MAX);
        assertThat(value(6, "c_date")).isEqualTo(LocalDate.MIN);
        assertThat(value(4, "c_time")).isEqualTo(LocalTime.MAX);
        assertThat(value(2, "c_time")).isEqualTo(LocalTime.of(12, 34, 56, 789_012_000));
        assertThat(value(2, "c_timestamp"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000));
        assertThat(value(5, "c_timestamp")).isEqualTo(LocalDateTime.MAX);
        assertThat(value(6, "c_timestamp")).isEqualTo(LocalDateTime.MIN);
        assertThat(value(2, "c_timestamptz"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 11, 34, 56, 123_456_000, ZoneOffset.UTC));
        assertThat(value(5, "c_timestamptz"))
                .isEqualTo(TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY);
        assertThat(value(2, "c_interval"))
                .isEqualTo(new Interval(14, 3, ((4 * 60 + 5) * 60 + 6) * 1_000_000L + 789_012));
        assertThat(value(6, "c_interval")).isEqualTo(new Interval(-1, 2, -1));
        assertThat(value(2, "c_timetz")).isEqualTo("12:34:56.789+05:30");
    }

    @Test
    void decodesArraysAsListsWithNullsAndDimensions() {
        assertThat(value(2, "c_int4_array")).isEqualTo(Arrays.asList(1, null, Integer.MIN_VALUE));
        assertThat(value(2, "c_int4_matrix"))
                .isEqualTo(List.of(List.of(1, 2), Arrays.asList(3, null)));
        assertThat(value(3, "c_int4_array")).isEqualTo(List.of());
        assertThat(value(2, "c_text_array"))
                .isEqualTo(Arrays.asList("a,b", "c\"d", "e\\f", null, "NULL", "", "x y", "{}"));
        assertThat(value(2, "c_numeric_array"))
                .isEqualTo(
                        List.of(
                                new BigDecimal("1.50"),
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                new BigDecimal("0.000")));
        assertThat(value(2, "c_box_array")).isEqualTo(List.of("(1,1),(0,0)", "(2,2),(1,1)"));
        assertThat(value(2, "c_mood_array")).isEqualTo(List.of("sad", "very \"happy\""));
        assertThat(value(2, "c_date_array"))
                .isEqualTo(
                        List.of(
                                LocalDate.MAX,
                                LocalDate.MIN,
                                LocalDate.of(-4712, 1, 1),
                                LocalDate.of(2000, 1, 1)));
    }

    private static DataType type(String column) {
        return schema.column(column).type();
    }

    private static Object value(int id, String column) {
        return rows.get(id - 1).get(schema.indexOf(column));
    }
}
