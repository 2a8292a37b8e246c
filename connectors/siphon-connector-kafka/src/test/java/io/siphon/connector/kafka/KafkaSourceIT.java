package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.data.Envelope;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Interval;
import io.siphon.model.Offset;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StreamPart;
import io.siphon.spi.TableFilter;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.kafka.KafkaExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka source against a real broker: what the Kafka sink writes, and what Debezium writes,
 * read back into the change events and values they came from.
 */
class KafkaSourceIT {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final TableFilter ALL = TableFilter.of(List.of("*.*"), List.of());

    /** Every model type whose envelope encoding reads back as the same type. */
    private static TableSchema allTypes(TableId id) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("c_bool", new DataType.BooleanType()),
                        Column.of("c_int16", new DataType.Int16()),
                        Column.of("c_int64", new DataType.Int64()),
                        Column.of("c_decimal", new DataType.DecimalType(12, 2)),
                        Column.of(
                                "c_numeric",
                                new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED)),
                        Column.of("c_float32", new DataType.Float32()),
                        Column.of("c_float64", new DataType.Float64()),
                        Column.of("c_text", DataType.StringType.unbounded()),
                        Column.of("c_bytes", new DataType.BinaryType(DataType.UNBOUNDED)),
                        Column.of("c_date", new DataType.DateType()),
                        Column.of("c_time3", new DataType.TimeType(3)),
                        Column.of("c_time6", new DataType.TimeType(6)),
                        Column.of("c_ts3", new DataType.TimestampType(3)),
                        Column.of("c_ts6", new DataType.TimestampType(6)),
                        Column.of("c_tstz", new DataType.TimestampTzType(DataType.UNBOUNDED)),
                        Column.of("c_interval", new DataType.IntervalType()),
                        Column.of("c_year", new DataType.YearType()),
                        Column.of("c_uuid", new DataType.UuidType()),
                        Column.of("c_json", new DataType.JsonType(false)),
                        Column.of(
                                "c_array", new DataType.ArrayType(DataType.StringType.unbounded())),
                        Column.of("c_enum", new DataType.EnumType(null, List.of("happy", "sad"))),
                        Column.of("c_set", new DataType.SetType(List.of("x", "y", "z"))),
                        Column.of("c_bits", new DataType.BitType(5, false))),
                List.of("id"));
    }

    private static Row row(int id, String text) {
        return Row.of(
                id,
                true,
                (short) -3,
                Long.MIN_VALUE,
                new BigDecimal("-1234567.50"),
                new BigDecimal("3.14159265358979323846"),
                1.25f,
                -0.1d,
                text,
                new byte[] {0, 1, (byte) 255},
                LocalDate.of(2024, 2, 29),
                LocalTime.of(12, 34, 56, 789_000_000),
                LocalTime.of(23, 59, 59, 999_999_000),
                LocalDateTime.of(2024, 3, 10, 2, 30, 0, 123_000_000),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 654_321_000),
                OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000, ZoneOffset.UTC),
                new Interval(0, 0, 90_061_000_001L),
                (short) 2024,
                UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
                "{\"a\": [1, 2]}",
                Arrays.asList("a", null, "c"),
                "sad",
                List.of("x", "z"),
                "10110");
    }

    private static Row nulls(int id) {
        Object[] values = new Object[24];
        values[0] = id;
        return new Row(values);
    }

    private static Row key(int id) {
        return nulls(id);
    }

    @Test
    void readsEveryOpAndTypeBackAsTheSinkWroteThem() {
        TableId id = TableId.of("public", "all_types");
        TableSchema table = allTypes(id);
        EventMeta meta = new EventMeta(null, Instant.ofEpochSecond(1_700_000_000), "77");
        try (Connector c = connector("ops")) {
            TableSchema t = c.sink().prepareTable(table, id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(t, List.of(row(1, "snapshot"), nulls(2)), WriteMode.UPSERT);
                w.apply(
                        t,
                        List.of(
                                new ChangeEvent.Insert(id, row(3, "inserted"), meta),
                                new ChangeEvent.Update(
                                        id, row(3, "inserted"), false, row(3, "updated"), meta),
                                new ChangeEvent.Update(id, key(1), true, row(4, "moved"), meta),
                                new ChangeEvent.Delete(id, key(2), true, meta),
                                new ChangeEvent.Truncate(id, meta)));
                w.flush();
            }
            assertThat(c.discover(ALL)).containsExactly(table);

            try (ChangeStream stream = open(c, List.of(table), start(c))) {
                List<ChangeEvent> events = poll(stream, 8);
                assertThat(events.stream().map(KafkaSourceIT::describe).toList())
                        .containsExactly(
                                List.of("Insert", row(1, "snapshot")),
                                List.of("Insert", nulls(2)),
                                List.of("Insert", row(3, "inserted")),
                                List.of("Update", key(3), true, row(3, "updated")),
                                List.of("Delete", key(1), true),
                                List.of("Insert", row(4, "moved")),
                                List.of("Delete", key(2), true),
                                List.of("Truncate", id));
                assertThat(events.get(2).meta().commitTime())
                        .isEqualTo(Instant.ofEpochSecond(1_700_000_000));
                assertThat(events.get(2).meta().transactionId()).isEqualTo("77");
                assertThat(events.get(2).meta().position())
                        .isEqualTo(new KafkaOffset(Map.of("ops.public.all_types", Map.of(0, 3L))));
                // Eight events and two tombstones: the next record to read is the eleventh.
                assertThat(stream.safePosition())
                        .isEqualTo(new KafkaOffset(Map.of("ops.public.all_types", Map.of(0, 10L))));
                assertThat(stream.safeSchemas()).isEqualTo(Map.of(id, table));
            }
        }
    }

    @Test
    void readsDecimalsAsTextOrDoublesAndConnectTimesAsTheirSchemasSay() {
        TableId id = TableId.of("public", "modes");
        TableSchema table =
                new TableSchema(
                        id,
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("amount", new DataType.DecimalType(10, 3)),
                                Column.of("at", new DataType.TimeType(6)),
                                Column.of("seen", new DataType.TimestampType(6))),
                        List.of("id"));
        Row written =
                Row.of(
                        1,
                        new BigDecimal("12.500"),
                        LocalTime.of(1, 2, 3, 456_789_000),
                        LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_901_000));
        for (String decimals : List.of("string", "double")) {
            String prefix = "modes-" + decimals;
            try (Connector c =
                    KafkaConnectors.connector(
                            KAFKA.broker().bootstrapServers(),
                            Map.of(
                                    "topic-prefix",
                                    prefix,
                                    "decimal-handling",
                                    decimals,
                                    "time-precision",
                                    "connect"))) {
                TableSchema t = c.sink().prepareTable(table, id, "postgres").schema();
                try (SinkWriter w = c.sink().openWriter()) {
                    w.write(t, List.of(written), WriteMode.UPSERT);
                    w.flush();
                }
                TableSchema read = c.discover(ALL).getFirst();
                boolean text = decimals.equals("string");
                assertThat(read.columns().stream().map(Column::type).toList())
                        .containsExactly(
                                new DataType.Int32(),
                                text ? DataType.StringType.unbounded() : new DataType.Float64(),
                                new DataType.TimeType(3),
                                new DataType.TimestampType(3));
                try (ChangeStream stream = open(c, List.of(read), start(c))) {
                    assertThat(describe(poll(stream, 1).getFirst()))
                            .isEqualTo(
                                    List.of(
                                            "Insert",
                                            Row.of(
                                                    1,
                                                    text ? "12.500" : 12.5d,
                                                    LocalTime.of(1, 2, 3, 456_000_000),
                                                    LocalDateTime.of(
                                                            2024, 1, 2, 3, 4, 5, 678_000_000))));
                }
            }
        }
    }

    @Test
    void readsTheEventsDebeziumWrites() throws Exception {
        String topic = "dbzsrc.public.all_types";
        Schema valueSchema = DebeziumEnvelopeCompatibilityIT.debeziumValueSchema();
        Struct after = DebeziumEnvelopeCompatibilityIT.debeziumValue(valueSchema);
        Schema source =
                SchemaBuilder.struct()
                        .name("io.debezium.connector.postgresql.Source")
                        .field("connector", Schema.STRING_SCHEMA)
                        .field("ts_ms", Schema.INT64_SCHEMA)
                        .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
                        .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
                        .build();
        Struct sourceValue =
                new Struct(source)
                        .put("connector", "postgresql")
                        .put("ts_ms", 1_700_000_000_000L)
                        .put("txId", 770L)
                        .put("lsn", 24_023_128L);
        Envelope envelope =
                Envelope.defineSchema()
                        .withName(topic + ".Envelope")
                        .withRecord(valueSchema)
                        .withSource(source)
                        .build();
        Schema keySchema =
                SchemaBuilder.struct()
                        .name(topic + ".Key")
                        .field("id", Schema.INT32_SCHEMA)
                        .build();
        Struct key = new Struct(keySchema).put("id", 7);
        JsonConverter keys = DebeziumEnvelopeCompatibilityIT.converter(true);
        JsonConverter values = DebeziumEnvelopeCompatibilityIT.converter(false);
        Instant ts = Instant.ofEpochSecond(1_700_000_001);
        byte[] keyBytes = keys.fromConnectData(topic, keySchema, key);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (Struct event :
                    List.of(
                            envelope.read(after, sourceValue, ts),
                            envelope.update(after, after, sourceValue, ts),
                            envelope.delete(after, sourceValue, ts))) {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                keyBytes,
                                values.fromConnectData(topic, envelope.schema(), event)));
            }
            producer.send(new ProducerRecord<>(topic, keyBytes, null));
            producer.flush();
        }
        TableId id = TableId.of("public", "all_types");
        try (Connector c = connector("dbzsrc")) {
            TableSchema read = c.discover(ALL).getFirst();
            TableSchema expected = DebeziumEnvelopeCompatibilityIT.table();
            // What the envelope does not say: a timestamp's digits below its unit, jsonb.
            assertThat(read.column("c_tstz").type())
                    .isEqualTo(new DataType.TimestampTzType(DataType.UNBOUNDED));
            assertThat(read.column("c_json").type()).isEqualTo(new DataType.JsonType(false));
            assertThat(read.columns().stream().map(Column::name).toList())
                    .isEqualTo(expected.columnNames());
            assertThat(read.primaryKey()).containsExactly("id");
            Row row = DebeziumEnvelopeCompatibilityIT.ROW;
            Object[] keyOnly = new Object[row.size()];
            keyOnly[0] = 7;
            try (ChangeStream stream = open(c, List.of(read), start(c))) {
                List<ChangeEvent> events = poll(stream, 3);
                assertThat(events.stream().map(KafkaSourceIT::describe).toList())
                        .containsExactly(
                                List.of("Insert", row),
                                List.of("Update", new Row(keyOnly), true, row),
                                List.of("Delete", new Row(keyOnly), true));
                assertThat(events.getFirst().table()).isEqualTo(id);
                assertThat(events.getFirst().meta().transactionId()).isEqualTo("770");
            }
        }
    }

    @Test
    void anAddedColumnArrivesAsASchemaChangeBeforeTheRowsThatHaveIt() {
        TableId id = TableId.of("public", "growing");
        TableSchema before =
                new TableSchema(
                        id,
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("name", DataType.StringType.unbounded())),
                        List.of("id"));
        Column note = Column.of("note", DataType.StringType.unbounded());
        ChangeEvent.AddColumn added = new ChangeEvent.AddColumn(id, note, "name", EventMeta.NONE);
        try (Connector c = connector("grow")) {
            TableSchema t = c.sink().prepareTable(before, id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.apply(t, List.of(new ChangeEvent.Insert(id, Row.of(1, "a"), EventMeta.NONE)));
                TableSchema after = w.applySchemaChange(t, added);
                w.apply(
                        after,
                        List.of(new ChangeEvent.Insert(id, Row.of(2, "b", "n"), EventMeta.NONE)));
                w.flush();
            }
            try (ChangeStream stream = open(c, List.of(before), start(c))) {
                List<ChangeEvent> events = poll(stream, 3);
                assertThat(events.stream().map(KafkaSourceIT::describe).toList())
                        .containsExactly(
                                List.of("Insert", Row.of(1, "a")),
                                List.of("AddColumn", note, "name"),
                                List.of("Insert", Row.of(2, "b", "n")));
                assertThat(stream.safeSchemas().get(id)).isEqualTo(before.evolve(added));
            }
        }
    }

    @Test
    void resumesAfterItsPositionAndCommitsItToTheGroupOnlyWhenAcknowledged() throws Exception {
        TableId id = TableId.of("public", "resumed");
        TableSchema table =
                new TableSchema(
                        id,
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("name", DataType.StringType.unbounded())),
                        List.of("id"));
        try (Connector c = connector("resume")) {
            TableSchema t = c.sink().prepareTable(table, id, "postgres").schema();
            write(c, t, Row.of(1, "a"), Row.of(2, "b"));
            Offset position;
            try (ChangeStream stream = open(c, List.of(table), start(c))) {
                assertThat(poll(stream, 2)).hasSize(2);
                position = stream.safePosition();
                assertThat(committed("siphon-p")).isEmpty();
                stream.acknowledge(position);
            }
            assertThat(committed("siphon-p"))
                    .isEqualTo(
                            Map.of(
                                    new TopicPartition("resume.public.resumed", 0),
                                    new OffsetAndMetadata(2)));
            KafkaOffsetCodec codec = new KafkaOffsetCodec();
            assertThat(codec.toJson((KafkaOffset) position))
                    .isEqualTo("{\"next\":{\"resume.public.resumed\":{\"0\":2}}}");
            write(c, t, Row.of(3, "c"));
            try (ChangeStream stream =
                    open(c, List.of(table), codec.fromJson(codec.toJson((KafkaOffset) position)))) {
                assertThat(poll(stream, 1).stream().map(KafkaSourceIT::describe).toList())
                        .containsExactly(List.of("Insert", Row.of(3, "c")));
            }
            c.streamSource().drop("p", position, false);
            assertThat(committed("siphon-p")).isEmpty();
        }
    }

    @Test
    void readersShareThePartitionsAndRefuseASchemaChangeOfATableTheyShare() {
        TableId id = TableId.of("public", "split");
        TableSchema table =
                new TableSchema(
                        id,
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("name", DataType.StringType.unbounded())),
                        List.of("id"));
        String topic = "parts.public.split";
        try (Connector c =
                KafkaConnectors.connector(
                        KAFKA.broker().bootstrapServers(),
                        Map.of("topic-prefix", "parts", "partitions", 4, "readers", 2))) {
            assertThat(c.streamSource().parts()).isEqualTo(2);
            TableSchema t = c.sink().prepareTable(table, id, "postgres").schema();
            Row[] rows = new Row[40];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Row.of(i + 1, "r" + (i + 1));
            }
            write(c, t, rows);
            Offset from = start(c);
            try (ChangeStream first = openPart(c, table, from, 0);
                    ChangeStream second = openPart(c, table, from, 1)) {
                List<ChangeEvent> read = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.size() < rows.length && System.nanoTime() < deadline) {
                    read.addAll(first.poll(Duration.ofMillis(100)));
                    read.addAll(second.poll(Duration.ofMillis(100)));
                }
                assertThat(read.stream().map(KafkaSourceIT::describe).toList())
                        .containsExactlyInAnyOrderElementsOf(
                                Arrays.stream(rows)
                                        .map(r -> List.<Object>of("Insert", r))
                                        .toList());
                // Each part's position names its own partitions; merged, they are all four, at
                // the end of what was written.
                KafkaOffset a = (KafkaOffset) first.safePosition();
                KafkaOffset b = (KafkaOffset) second.safePosition();
                for (int p = 0; p < 4; p++) {
                    boolean own = KafkaSource.partOf(new TopicPartition(topic, p), 2) == 0;
                    assertThat(a.next(topic, p) >= 0).isEqualTo(own);
                    assertThat(b.next(topic, p) >= 0).isEqualTo(!own);
                }
                KafkaOffsetCodec codec = new KafkaOffsetCodec();
                KafkaOffset merged = codec.merge(codec.merge((KafkaOffset) from, a), b);
                assertThat(merged.next().get(topic).values().stream().mapToLong(n -> n).sum())
                        .isEqualTo(rows.length);
                assertThat(first.safeSchemas()).isEqualTo(Map.of(id, table));

                ChangeEvent.AddColumn added =
                        new ChangeEvent.AddColumn(
                                id,
                                Column.of("note", DataType.StringType.unbounded()),
                                "name",
                                EventMeta.NONE);
                try (SinkWriter w = c.sink().openWriter()) {
                    TableSchema after = w.applySchemaChange(t, added);
                    List<ChangeEvent> inserts = new ArrayList<>();
                    for (int i = 100; i < 104; i++) {
                        inserts.add(
                                new ChangeEvent.Insert(id, Row.of(i, "n", "n"), EventMeta.NONE));
                    }
                    w.apply(after, inserts);
                    w.flush();
                }
                assertThatThrownBy(
                                () -> {
                                    long until =
                                            System.nanoTime() + Duration.ofSeconds(30).toNanos();
                                    while (System.nanoTime() < until) {
                                        first.poll(Duration.ofMillis(100));
                                        second.poll(Duration.ofMillis(100));
                                    }
                                })
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH))
                        .hasMessageStartingWith("The schema of table public.split changes at ")
                        .hasMessageEndingWith(
                                "several readers share the topic's partitions and would not see"
                                        + " the change in order; set the source's 'readers: 1',"
                                        + " or give the table's topic one partition");
            }
        }
    }

    private static ChangeStream openPart(Connector c, TableSchema table, Offset from, int part) {
        return c.streamSource().open("p", List.of(table), from, Set.of(), new StreamPart(part, 2));
    }

    @Test
    void aRecordWithoutItsSchemaStopsTheStreamNamingTheRecord() {
        TableId id = TableId.of("public", "bare");
        TableSchema table =
                new TableSchema(
                        id,
                        List.of(new Column("id", new DataType.Int32(), false, null)),
                        List.of("id"));
        try (Connector writer =
                        KafkaConnectors.connector(
                                KAFKA.broker().bootstrapServers(),
                                Map.of("topic-prefix", "bare", "schemas", false));
                Connector c = connector("bare")) {
            TableSchema t = writer.sink().prepareTable(table, id, "postgres").schema();
            write(writer, t, Row.of(1));
            assertThat(c.discover(ALL)).isEmpty();
            try (ChangeStream stream = open(c, List.of(table), start(c))) {
                assertThatThrownBy(() -> poll(stream, 1))
                        .isInstanceOfSatisfying(
                                SiphonException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                        .hasMessageStartingWith(
                                "The record at offset 0 of bare.public.bare[0] carries no schema");
            }
        }
    }

    private static Connector connector(String prefix) {
        return KafkaConnectors.connector(
                KAFKA.broker().bootstrapServers(), Map.of("topic-prefix", prefix));
    }

    private static void write(Connector c, TableSchema t, Row... rows) {
        try (SinkWriter w = c.sink().openWriter()) {
            List<ChangeEvent> inserts = new ArrayList<>();
            for (Row r : rows) {
                inserts.add(new ChangeEvent.Insert(t.id(), r, EventMeta.NONE));
            }
            w.apply(t, inserts);
            w.flush();
        }
    }

    private static Offset start(Connector c) {
        return c.streamSource().prepare("p", List.of(), null, false).start();
    }

    private static ChangeStream open(Connector c, List<TableSchema> tables, Offset from) {
        return c.streamSource().open("p", tables, from, Set.of());
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()))) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .entrySet()
                    .stream()
                    .collect(
                            java.util.stream.Collectors.toMap(
                                    Map.Entry::getKey,
                                    e -> new OffsetAndMetadata(e.getValue().offset())));
        }
    }

    /** Polls until {@code count} events came (at most 30 s). */
    private static List<ChangeEvent> poll(ChangeStream stream, int count) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            events.addAll(stream.poll(Duration.ofMillis(200)));
        }
        return events;
    }

    /** An event without its meta data, for exact comparison. */
    private static List<Object> describe(ChangeEvent event) {
        return switch (event) {
            case ChangeEvent.Insert i -> List.of("Insert", i.after());
            case ChangeEvent.Update u ->
                    List.of("Update", u.before(), u.beforeIsKeyOnly(), u.after());
            case ChangeEvent.Delete d -> List.of("Delete", d.before(), d.beforeIsKeyOnly());
            case ChangeEvent.Truncate t -> List.of("Truncate", t.table());
            case ChangeEvent.AddColumn a ->
                    List.of("AddColumn", a.column(), String.valueOf(a.afterColumn()));
            case ChangeEvent.SchemaChange s -> List.of(s.getClass().getSimpleName(), s.table());
        };
    }
}
