package io.siphon.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Interval;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.Connector;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.redis.RedisExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * What the Redis sink stores, byte for byte: each type's text in a hash and its JSON form in a
 * document, escaped composite keys, unchanged TOAST values, index sets, TTLs and rows rewritten by
 * schema changes.
 */
class RedisSinkIT {

    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final EventMeta NONE = EventMeta.NONE;
    private static Jedis jedis;

    @BeforeAll
    static void connect() {
        jedis = new Jedis("127.0.0.1", REDIS.server().port());
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    private static final TableSchema TYPES =
            new TableSchema(
                    TableId.of("public", "types"),
                    List.of(
                            new Column("id", new DataType.Int32(), false, null),
                            Column.of("c_bool", new DataType.BooleanType()),
                            Column.of("c_int16", new DataType.Int16()),
                            Column.of("c_int64", new DataType.Int64()),
                            Column.of("c_uint64", new DataType.UInt64()),
                            Column.of("c_decimal", new DataType.DecimalType(12, 4)),
                            Column.of("c_decimal_nan", new DataType.DecimalType(-1, -1)),
                            Column.of("c_float32", new DataType.Float32()),
                            Column.of("c_float64", new DataType.Float64()),
                            Column.of("c_text", DataType.StringType.unbounded()),
                            Column.of("c_bytes", new DataType.BinaryType(-1)),
                            Column.of("c_date", new DataType.DateType()),
                            Column.of("c_time", new DataType.TimeType(6)),
                            Column.of("c_timestamp", new DataType.TimestampType(6)),
                            Column.of("c_timestamptz", new DataType.TimestampTzType(6)),
                            Column.of("c_duration", new DataType.DurationType(6)),
                            Column.of("c_interval", new DataType.IntervalType()),
                            Column.of("c_uuid", new DataType.UuidType()),
                            Column.of("c_json", new DataType.JsonType(true)),
                            Column.of("c_array", new DataType.ArrayType(new DataType.Int32())),
                            Column.of("c_set", new DataType.SetType(List.of("red", "blue"))),
                            Column.of("c_bit", new DataType.BitType(4, false)),
                            Column.of("c_null", DataType.StringType.unbounded())),
                    List.of("id"));

    private static final Row TYPES_ROW =
            new Row(
                    new Object[] {
                        7,
                        true,
                        (short) -3,
                        Long.MAX_VALUE,
                        BigInteger.TWO.pow(64).subtract(BigInteger.ONE),
                        new BigDecimal("1.5000"),
                        Double.NaN,
                        1.25f,
                        1.0e-5d,
                        "tab\t: \u00fc \uD83D\uDE00",
                        new byte[] {0, (byte) 255},
                        LocalDate.of(2024, 2, 29),
                        LocalTime.of(0, 0),
                        LocalDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000),
                        OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000, ZoneOffset.UTC),
                        Duration.ofHours(-838).minusSeconds(1),
                        new Interval(14, 3, 3_723_500_000L),
                        UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
                        "{\"a\": [1, 2.50]}",
                        java.util.Arrays.asList(1, null, 3),
                        List.of("red", "blue"),
                        "1010",
                        null
                    });

    @Test
    void hashFieldsHoldEachTypesTextForm() {
        String prefix = prefix();
        try (Connector c = connector(prefix, Map.of())) {
            TableSchema t = prepare(c, TYPES);
            write(c, t, List.of(TYPES_ROW));
            Map<String, String> hash = new TreeMap<>(jedis.hgetAll(prefix + ":public.types:7"));
            hash.remove("c_bytes");
            assertThat(jedis.hget(utf8(prefix + ":public.types:7"), utf8("c_bytes")))
                    .containsExactly(0, 255);
            assertThat(hash)
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.ofEntries(
                                    Map.entry("id", "7"),
                                    Map.entry("c_bool", "true"),
                                    Map.entry("c_int16", "-3"),
                                    Map.entry("c_int64", "9223372036854775807"),
                                    Map.entry("c_uint64", "18446744073709551615"),
                                    Map.entry("c_decimal", "1.5000"),
                                    Map.entry("c_decimal_nan", "NaN"),
                                    Map.entry("c_float32", "1.25"),
                                    Map.entry("c_float64", "1.0E-5"),
                                    Map.entry("c_text", "tab\t: \u00fc \uD83D\uDE00"),
                                    Map.entry("c_date", "2024-02-29"),
                                    Map.entry("c_time", "00:00:00"),
                                    Map.entry("c_timestamp", "2024-03-10T02:30:00.654321"),
                                    Map.entry("c_timestamptz", "2024-02-29T23:59:59.123456Z"),
                                    Map.entry("c_duration", "PT-838H-1S"),
                                    Map.entry("c_interval", "P14M3DT3723.5S"),
                                    Map.entry("c_uuid", "0f8fad5b-d9cb-469f-a165-70867728950e"),
                                    Map.entry("c_json", "{\"a\": [1, 2.50]}"),
                                    Map.entry("c_array", "[1,null,3]"),
                                    Map.entry("c_set", "red,blue"),
                                    Map.entry("c_bit", "1010")));
            assertThat(jedis.hexists(prefix + ":public.types:7", "c_null")).isFalse();
            assertThat(((RedisConnector) c).rows(t)).containsExactly(TYPES_ROW);
        }
    }

    @Test
    void jsonDocumentHoldsEachTypesJsonForm() {
        String prefix = prefix();
        try (Connector c = connector(prefix, Map.of("format", "json"))) {
            TableSchema t = prepare(c, TYPES);
            write(c, t, List.of(TYPES_ROW));
            assertThat(jedis.get(prefix + ":public.types:7"))
                    .isEqualTo(
                            "{\"id\":7,\"c_bool\":true,\"c_int16\":-3,"
                                    + "\"c_int64\":9223372036854775807,"
                                    + "\"c_uint64\":18446744073709551615,\"c_decimal\":1.5000,"
                                    + "\"c_decimal_nan\":\"NaN\",\"c_float32\":1.25,"
                                    + "\"c_float64\":0.000010,"
                                    + "\"c_text\":\"tab\\t: \u00fc \uD83D\uDE00\",\"c_bytes\":\"AP8=\","
                                    + "\"c_date\":\"2024-02-29\",\"c_time\":\"00:00:00\","
                                    + "\"c_timestamp\":\"2024-03-10T02:30:00.654321\","
                                    + "\"c_timestamptz\":\"2024-02-29T23:59:59.123456Z\","
                                    + "\"c_duration\":\"PT-838H-1S\","
                                    + "\"c_interval\":\"P14M3DT3723.5S\","
                                    + "\"c_uuid\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
                                    + "\"c_json\":{\"a\":[1,2.50]},\"c_array\":[1,null,3],"
                                    + "\"c_set\":[\"red\",\"blue\"],\"c_bit\":\"1010\","
                                    + "\"c_null\":null}");
            Object[] expected = TYPES_ROW.values().clone();
            // A JSON column is a JSON value in the document: its text comes back compact.
            expected[18] = "{\"a\":[1,2.50]}";
            assertThat(((RedisConnector) c).rows(t)).containsExactly(new Row(expected));
        }
    }

    @Test
    void compositeKeysAreEscapedSoThatTheyNeverCollide() {
        String prefix = prefix();
        TableSchema pairs =
                new TableSchema(
                        TableId.of("shop", "pairs:x"),
                        List.of(
                                new Column("a", DataType.StringType.unbounded(), false, null),
                                new Column("b", DataType.StringType.unbounded(), false, null),
                                Column.of("n", new DataType.Int32())),
                        List.of("a", "b"));
        try (Connector c = connector(prefix, Map.of())) {
            TableSchema t = prepare(c, pairs);
            write(
                    c,
                    t,
                    List.of(
                            Row.of("x:y", "z", 1),
                            Row.of("x", "y:z", 2),
                            Row.of("#index", "\\", 3)));
            assertThat(jedis.keys(prefix + ":*"))
                    .containsExactlyInAnyOrder(
                            prefix + ":shop.\"pairs\\:x\":x\\:y:z",
                            prefix + ":shop.\"pairs\\:x\":x:y\\:z",
                            prefix + ":shop.\"pairs\\:x\":\\#index:\\\\");
            assertThat(((RedisConnector) c).lookup(t, Row.of("x", "y:z", null)))
                    .contains(Row.of("x", "y:z", 2));
        }
    }

    @Test
    void unchangedValuesKeepTheStoredValueInHashesAndDocuments() {
        for (String format : List.of("hash", "json")) {
            String prefix = prefix();
            try (Connector c = connector(prefix, Map.of("format", format))) {
                TableSchema t = prepare(c, items());
                apply(c, t, List.of(new Insert(t.id(), Row.of(1, "a", "large"), NONE)));
                apply(
                        c,
                        t,
                        List.of(
                                new Update(
                                        t.id(),
                                        Row.of(1, null, null),
                                        true,
                                        Row.of(1, "b", Unchanged.VALUE),
                                        NONE),
                                // The key changes and the large value moves with the row.
                                new Update(
                                        t.id(),
                                        Row.of(1, null, null),
                                        true,
                                        Row.of(2, "c", Unchanged.VALUE),
                                        NONE)));
                assertThat(((RedisConnector) c).rows(t))
                        .as(format)
                        .containsExactly(Row.of(2, "c", "large"));
            }
        }
    }

    @Test
    void indexSetsFollowUpdatesDeletesAndTruncates() {
        for (String format : List.of("hash", "json")) {
            String prefix = prefix();
            try (Connector c =
                    connector(
                            prefix,
                            Map.of(
                                    "format",
                                    format,
                                    "index-columns",
                                    Map.of("public.items", "name")))) {
                TableSchema t = prepare(c, items());
                String rows = prefix + ":public.items:";
                String index = rows + "#index:name:";
                apply(
                        c,
                        t,
                        List.of(
                                new Insert(t.id(), Row.of(1, "a", "x"), NONE),
                                new Insert(t.id(), Row.of(2, "a", "y"), NONE),
                                new Insert(t.id(), Row.of(3, "b", "z"), NONE)));
                // Old rows are given by key only: the sink reads their indexed values itself.
                apply(
                        c,
                        t,
                        List.of(
                                new Update(
                                        t.id(),
                                        Row.of(1, null, null),
                                        true,
                                        Row.of(1, "b", "x"),
                                        NONE),
                                new Delete(t.id(), Row.of(2, null, null), true, NONE)));
                assertThat(jedis.smembers(index + "a")).as(format).isEmpty();
                assertThat(jedis.smembers(index + "b"))
                        .as(format)
                        .containsExactlyInAnyOrder(rows + "1", rows + "3");
                // A replay of the first batch leaves the same sets.
                write(c, t, List.of(Row.of(1, "b", "x"), Row.of(3, "b", "z")));
                assertThat(jedis.keys(index + "*")).as(format).containsExactly(index + "b");
                apply(c, t, List.of(new ChangeEvent.Truncate(t.id(), NONE)));
                assertThat(jedis.keys(prefix + ":*")).as(format).isEmpty();
            }
        }
    }

    @Test
    void ttlIsSetOnEveryWrite() {
        for (String format : List.of("hash", "json")) {
            String prefix = prefix();
            try (Connector c = connector(prefix, Map.of("format", format, "ttl", "1h"))) {
                TableSchema t = prepare(c, items());
                write(c, t, List.of(Row.of(1, "a", "x")));
                assertThat(jedis.pttl(prefix + ":public.items:1"))
                        .as(format)
                        .isBetween(1L, 3_600_000L);
            }
        }
    }

    @Test
    void droppedAndRenamedColumnsAreRewrittenInStoredRows() {
        for (String format : List.of("hash", "json")) {
            String prefix = prefix();
            try (Connector c =
                    connector(
                            prefix,
                            Map.of(
                                    "format",
                                    format,
                                    "index-columns",
                                    Map.of("public.items", "name")))) {
                TableSchema t = prepare(c, items());
                write(c, t, List.of(Row.of(1, "a", "x"), Row.of(2, "b", "y")));
                TableSchema after;
                try (SinkWriter w = c.sink().openWriter()) {
                    after =
                            w.applySchemaChange(
                                    t, new ChangeEvent.DropColumn(t.id(), "body", NONE));
                    after =
                            w.applySchemaChange(
                                    after,
                                    new ChangeEvent.RenameColumn(t.id(), "name", "label", NONE));
                    w.flush();
                }
                String key = prefix + ":public.items:1";
                if (format.equals("hash")) {
                    assertThat(jedis.hgetAll(key))
                            .containsExactlyInAnyOrderEntriesOf(Map.of("id", "1", "label", "a"));
                } else {
                    assertThat(jedis.get(key)).isEqualTo("{\"id\":1,\"label\":\"a\"}");
                }
                assertThat(jedis.smembers(prefix + ":public.items:#index:label:b"))
                        .as(format)
                        .containsExactly(prefix + ":public.items:2");
                assertThat(((RedisConnector) c).rows(after))
                        .as(format)
                        .containsExactlyInAnyOrder(Row.of(1, "a"), Row.of(2, "b"));
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static TableSchema items() {
        return new TableSchema(
                TableId.of("public", "items"),
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("name", DataType.StringType.unbounded()),
                        Column.of("body", DataType.StringType.unbounded())),
                List.of("id"));
    }

    private static String prefix() {
        return "t" + PREFIXES.incrementAndGet();
    }

    private static Connector connector(String prefix, Map<String, ?> options) {
        return RedisUnderTest.connector(REDIS, prefix, options);
    }

    private static TableSchema prepare(Connector c, TableSchema source) {
        return c.sink().prepareTable(source, source.id(), "test").schema();
    }

    private static void write(Connector c, TableSchema t, List<Row> rows) {
        try (SinkWriter w = c.sink().openWriter()) {
            w.write(t, rows, WriteMode.UPSERT);
            w.flush();
        }
    }

    private static void apply(Connector c, TableSchema t, List<ChangeEvent> changes) {
        try (SinkWriter w = c.sink().openWriter()) {
            w.apply(t, changes);
            w.flush();
        }
    }
}
