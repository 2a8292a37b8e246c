package io.siphon.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.args.Rawable;

/**
 * The bytes the writer sends are those of the values' text forms ({@link RedisValues#text}) and of
 * the keys ({@link RedisLayout#rowKey}), for every type and its edge cases.
 */
class RowEncoderTest {

    private static final RedisLayout LAYOUT =
            new RedisLayout("p:x", false, Duration.ZERO, Map.of());

    private static final List<LocalDateTime> TIMES = times();

    /** Each type with values at its edges. */
    private static final List<Map.Entry<DataType, List<Object>>> VALUES =
            List.of(
                    Map.entry(new DataType.BooleanType(), List.of(true, false)),
                    Map.entry(
                            new DataType.Int16(), List.of((short) 0, (short) -3, Short.MIN_VALUE)),
                    Map.entry(
                            new DataType.Int32(),
                            List.of(0, 7, -10, 1_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE)),
                    Map.entry(
                            new DataType.Int64(),
                            List.of(0L, 9L, 10L, -99L, Long.MAX_VALUE, Long.MIN_VALUE)),
                    Map.entry(new DataType.YearType(), List.of((short) 1901, (short) 2155)),
                    Map.entry(
                            new DataType.UInt64(),
                            List.of(BigInteger.TWO.pow(64).subtract(BigInteger.ONE))),
                    Map.entry(
                            new DataType.DecimalType(12, 4),
                            List.of(
                                    new BigDecimal("1.5000"),
                                    new BigDecimal("-0.0001"),
                                    new BigDecimal("1E+3"),
                                    new BigDecimal("0.00"),
                                    new BigDecimal("0"),
                                    new BigDecimal("-12345.67"),
                                    new BigDecimal("999999999999999999"),
                                    new BigDecimal("-0.999999999999999999"),
                                    new BigDecimal("123456789012345678901234567890.5"),
                                    new BigDecimal("1.0000000000000000000001"),
                                    Double.NaN)),
                    Map.entry(
                            new DataType.Float32(),
                            List.of(1.25f, Float.NaN, Float.NEGATIVE_INFINITY, 1.0e-5f)),
                    Map.entry(new DataType.Float64(), List.of(1.0e-5d, -0.0d, 123456789.125d)),
                    Map.entry(
                            new DataType.DateType(),
                            List.of(
                                    LocalDate.of(2024, 2, 29),
                                    LocalDate.of(0, 1, 1),
                                    LocalDate.of(999, 1, 1),
                                    LocalDate.of(10_000, 1, 1),
                                    LocalDate.of(-44, 3, 15),
                                    LocalDate.MIN,
                                    LocalDate.MAX)),
                    Map.entry(
                            new DataType.TimeType(6),
                            List.of(
                                    LocalTime.MIDNIGHT,
                                    LocalTime.MAX,
                                    LocalTime.of(12, 34, 56, 123_456_000),
                                    LocalTime.of(1, 2, 3, 100))),
                    Map.entry(new DataType.TimestampType(6), new ArrayList<>(TIMES)),
                    Map.entry(new DataType.TimestampTzType(6), instants()),
                    Map.entry(
                            new DataType.DurationType(6),
                            List.of(Duration.ofHours(-838).minusSeconds(1))),
                    Map.entry(
                            new DataType.IntervalType(),
                            List.of(new Interval(14, 3, 3_723_500_000L))),
                    Map.entry(
                            new DataType.UuidType(),
                            List.of(
                                    UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
                                    new UUID(0, 0),
                                    new UUID(-1, -1),
                                    new UUID(0x0123456789abcdefL, 0xfedcba9876543210L))),
                    Map.entry(
                            new DataType.BinaryType(-1),
                            List.of(new byte[0], new byte[] {0, (byte) 255, 0x7f, (byte) 0x80})),
                    Map.entry(
                            new DataType.ArrayType(new DataType.Int32()),
                            List.of(Arrays.asList(1, null, 3))),
                    Map.entry(
                            new DataType.SetType(List.of("red", "blue")),
                            List.of(List.of("red", "blue"))),
                    Map.entry(
                            DataType.StringType.unbounded(),
                            List.of(
                                    "",
                                    "plain",
                                    "tab\t: \u00fc \uD83D\uDE00",
                                    "#a\\b:c",
                                    "\uD800")),
                    Map.entry(new DataType.JsonType(true), List.of("{\"a\": [1, 2.50]}")),
                    Map.entry(
                            new DataType.EnumType("mood", List.of("ok", "\u00e9t\u00e9")),
                            List.of("\u00e9t\u00e9")),
                    Map.entry(new DataType.BitType(4, false), List.of("1010")),
                    Map.entry(new DataType.GeometryType("geometry"), List.of("POINT(1 2)")),
                    Map.entry(new DataType.OtherType("money"), List.of("$1.00")));

    private static List<LocalDateTime> times() {
        List<LocalDateTime> times = new ArrayList<>(RedisValuesTest.TIMES);
        times.add(LocalDateTime.MIN);
        times.add(LocalDateTime.MAX);
        return times;
    }

    private static List<Object> instants() {
        List<Object> out = new ArrayList<>();
        for (LocalDateTime t : RedisValuesTest.TIMES) {
            out.add(t.atOffset(ZoneOffset.UTC));
            out.add(t.atOffset(ZoneOffset.ofHoursMinutes(5, 30)));
            out.add(t.atOffset(ZoneOffset.ofHours(-8)));
        }
        return out;
    }

    @Test
    void valuesAreWrittenAsTheBytesOfTheirTextForm() {
        TextBytes bytes = new TextBytes();
        for (Map.Entry<DataType, List<Object>> type : VALUES) {
            for (Object value : type.getValue()) {
                assertThat(bytes.clear().text(type.getKey(), value).toArray())
                        .as("%s %s", type.getKey(), value)
                        .isEqualTo(utf8(RedisValues.text(type.getKey(), value)));
            }
        }
    }

    @Test
    void keysAreTheLayoutsKeysForEveryTypeEscapedAndKeyless() {
        RowEncoder encoder = new RowEncoder(LAYOUT);
        for (Map.Entry<DataType, List<Object>> type : VALUES) {
            List<Column> columns =
                    List.of(
                            new Column("k", type.getKey(), false, null),
                            new Column("s", DataType.StringType.unbounded(), true, null));
            TableSchema keyed = new TableSchema(TableId.of("s:1", "t"), columns, List.of("k", "s"));
            TableSchema keyless = new TableSchema(TableId.of("s:1", "t"), columns, List.of());
            for (Object value : type.getValue()) {
                for (Object other : Arrays.asList("#x:y\\", null, "")) {
                    Object[] row = {value, other};
                    for (TableSchema table : List.of(keyed, keyless)) {
                        encoder.encodeFor(table);
                        byte[] expected = utf8(LAYOUT.rowKey(table, row));
                        assertThat(encoder.key(row)).as("%s %s", table, value).isEqualTo(expected);
                        assertThat(encoder.reusedKey(row)).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void hashFieldsHoldTextFormsAndBinaryValuesRowAfterRow() {
        List<Column> columns = new ArrayList<>();
        List<Object> first = new ArrayList<>();
        List<Object> second = new ArrayList<>();
        for (Map.Entry<DataType, List<Object>> type : VALUES) {
            columns.add(Column.of("c" + columns.size(), type.getKey()));
            first.add(type.getValue().get(0));
            second.add(type.getValue().get(type.getValue().size() - 1));
        }
        columns.add(Column.of("c_null", DataType.StringType.unbounded()));
        first.add(null);
        second.add(Unchanged.VALUE);
        TableSchema table = new TableSchema(TableId.of("public", "t"), columns, List.of("c0"));
        RowEncoder encoder = new RowEncoder(LAYOUT);
        encoder.encodeFor(table);
        for (List<Object> values : List.of(first, second, first)) {
            Object[] row = values.toArray();
            byte[] key = encoder.reusedKey(row);
            List<byte[]> expected = new ArrayList<>();
            expected.add(utf8("HSET"));
            expected.add(utf8(LAYOUT.rowKey(table, row)));
            for (int i = 0; i < row.length - 1; i++) {
                DataType type = columns.get(i).type();
                expected.add(utf8(columns.get(i).name()));
                expected.add(
                        type instanceof DataType.BinaryType
                                ? (byte[]) row[i]
                                : utf8(RedisValues.text(type, row[i])));
            }
            assertThat(sent(encoder.hset(key, row))).containsExactlyElementsOf(expected);
        }
        assertThat(encoder.nullFields(first.toArray()))
                .isDeepEqualTo(new byte[][] {utf8("c_null")});
        assertThat(encoder.hset(utf8("k"), new Object[columns.size()])).isNull();
    }

    /** The arguments as they go on the wire, read while the command would be sent. */
    private static List<byte[]> sent(CommandArguments command) {
        List<byte[]> out = new ArrayList<>();
        for (Rawable argument : command) {
            out.add(argument.getRaw().clone());
        }
        return out;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
