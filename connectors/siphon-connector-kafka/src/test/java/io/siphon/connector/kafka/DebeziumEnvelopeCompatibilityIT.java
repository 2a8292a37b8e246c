package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.data.Envelope;
import io.debezium.data.Json;
import io.debezium.data.Uuid;
import io.debezium.data.VariableScaleDecimal;
import io.debezium.time.Date;
import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.Time;
import io.debezium.time.Timestamp;
import io.debezium.time.ZonedTimestamp;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Offset;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.kafka.TopicReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a Debezium consumer reads from Siphon's records: each record decoded with Kafka Connect's
 * {@link JsonConverter} (schemas enabled, as Debezium's default JSON setup) is compared field by
 * field with the struct Debezium's PostgreSQL connector builds for the same row under its default
 * modes (decimal precise, time precision adaptive), built here with Debezium's own schema builders,
 * value conversions and {@link Envelope}.
 */
class DebeziumEnvelopeCompatibilityIT {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final TableId TABLE = TableId.of("public", "all_types");
    private static final String TOPIC = "dbz.public.all_types";

    /** A PostgreSQL LSN as the PostgreSQL source's offset describes itself. */
    private record Lsn(long value) implements Offset {
        @Override
        public String describe() {
            return Long.toString(value);
        }

        @Override
        public Map<String, Object> sourceFields() {
            return Map.of("connector", "postgresql", "lsn", value);
        }
    }

    private static TableSchema table() {
        return new TableSchema(
                TABLE,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("c_bool", new DataType.BooleanType()),
                        Column.of("c_int16", new DataType.Int16()),
                        Column.of("c_int64", new DataType.Int64()),
                        Column.of("c_decimal", new DataType.DecimalType(12, 4)),
                        Column.of(
                                "c_numeric",
                                new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED)),
                        Column.of("c_float64", new DataType.Float64()),
                        new Column("c_text", DataType.StringType.unbounded(), false, null),
                        Column.of("c_bytes", new DataType.BinaryType(DataType.UNBOUNDED)),
                        Column.of("c_date", new DataType.DateType()),
                        Column.of("c_time3", new DataType.TimeType(3)),
                        Column.of("c_time6", new DataType.TimeType(6)),
                        Column.of("c_ts3", new DataType.TimestampType(3)),
                        Column.of("c_ts6", new DataType.TimestampType(6)),
                        Column.of("c_tstz", new DataType.TimestampTzType(6)),
                        Column.of("c_uuid", new DataType.UuidType()),
                        Column.of("c_json", new DataType.JsonType(true))),
                List.of("id"));
    }

    private static final Row ROW =
            Row.of(
                    7,
                    true,
                    (short) -3,
                    Long.MIN_VALUE,
                    new BigDecimal("-12345678.9012"),
                    new BigDecimal("3.14159265358979323846"),
                    1.5d,
                    "quotes ' \" and \u00fcn\u00efc\u00f8d\u00e9",
                    new byte[] {0, 1, (byte) 255},
                    LocalDate.of(2024, 2, 29),
                    LocalTime.of(12, 34, 56, 789_000_000),
                    LocalTime.of(23, 59, 59, 999_999_000),
                    LocalDateTime.of(2024, 3, 10, 2, 30, 0, 123_000_000),
                    LocalDateTime.of(1969, 12, 31, 23, 59, 59, 654_321_000),
                    OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000, ZoneOffset.UTC),
                    UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
                    "{\"a\": [1, 2]}");

    /**
     * The value schema Debezium's PostgreSQL connector builds for the table (its table schema
     * builder makes it optional, as it stands for {@code before} and {@code after}).
     */
    private static Schema debeziumValueSchema() {
        return SchemaBuilder.struct()
                .name(TOPIC + ".Value")
                .optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("c_bool", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .field("c_int16", Schema.OPTIONAL_INT16_SCHEMA)
                .field("c_int64", Schema.OPTIONAL_INT64_SCHEMA)
                .field(
                        "c_decimal",
                        Decimal.builder(4)
                                .parameter("connect.decimal.precision", "12")
                                .optional()
                                .build())
                .field("c_numeric", VariableScaleDecimal.builder().optional().build())
                .field("c_float64", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("c_text", Schema.STRING_SCHEMA)
                .field("c_bytes", Schema.OPTIONAL_BYTES_SCHEMA)
                .field("c_date", Date.builder().optional().build())
                .field("c_time3", Time.builder().optional().build())
                .field("c_time6", MicroTime.builder().optional().build())
                .field("c_ts3", Timestamp.builder().optional().build())
                .field("c_ts6", MicroTimestamp.builder().optional().build())
                .field("c_tstz", ZonedTimestamp.builder().optional().build())
                .field("c_uuid", Uuid.builder().optional().build())
                .field("c_json", Json.builder().optional().build())
                .build();
    }

    /** The value struct Debezium builds for {@link #ROW}, with Debezium's conversions. */
    private static Struct debeziumValue(Schema schema) {
        Struct s = new Struct(schema);
        s.put("id", 7);
        s.put("c_bool", true);
        s.put("c_int16", (short) -3);
        s.put("c_int64", Long.MIN_VALUE);
        s.put("c_decimal", new BigDecimal("-12345678.9012"));
        s.put(
                "c_numeric",
                VariableScaleDecimal.fromLogical(
                        schema.field("c_numeric").schema(),
                        new BigDecimal("3.14159265358979323846")));
        s.put("c_float64", 1.5d);
        s.put("c_text", "quotes ' \" and \u00fcn\u00efc\u00f8d\u00e9");
        s.put("c_bytes", new byte[] {0, 1, (byte) 255});
        s.put("c_date", Date.toEpochDay(LocalDate.of(2024, 2, 29), null));
        s.put("c_time3", Time.toMilliOfDay(LocalTime.of(12, 34, 56, 789_000_000), false));
        s.put("c_time6", MicroTime.toMicroOfDay(LocalTime.of(23, 59, 59, 999_999_000), false));
        s.put(
                "c_ts3",
                Timestamp.toEpochMillis(
                        LocalDateTime.of(2024, 3, 10, 2, 30, 0, 123_000_000), null));
        s.put(
                "c_ts6",
                MicroTimestamp.toEpochMicros(
                        LocalDateTime.of(1969, 12, 31, 23, 59, 59, 654_321_000), null));
        s.put(
                "c_tstz",
                ZonedTimestamp.toIsoString(
                        OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000, ZoneOffset.UTC),
                        null));
        s.put("c_uuid", "0f8fad5b-d9cb-469f-a165-70867728950e");
        s.put("c_json", "{\"a\": [1, 2]}");
        return s;
    }

    @Test
    void jsonConverterReadsSiphonEventsAsDebeziumBuildsThem() {
        EventMeta streamed =
                new EventMeta(new Lsn(24_023_128L), Instant.ofEpochSecond(1_700_000_000), "770");
        try (Connector c =
                KafkaConnectors.connector(
                        KAFKA.broker().bootstrapServers(),
                        Map.of("topic-prefix", "dbz", "tombstones", false))) {
            TableSchema t = c.sink().prepareTable(table(), TABLE, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(t, List.of(ROW), WriteMode.UPSERT);
                w.apply(
                        t,
                        List.<ChangeEvent>of(
                                new ChangeEvent.Insert(TABLE, ROW, streamed),
                                new ChangeEvent.Delete(TABLE, ROW, false, streamed)));
                w.flush();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAll(KAFKA.broker().bootstrapServers(), TOPIC);
        assertThat(records).hasSize(3);

        Schema valueSchema = debeziumValueSchema();
        Struct expectedRow = debeziumValue(valueSchema);
        JsonConverter values = converter(false);
        JsonConverter keys = converter(true);
        List<String> ops = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            SchemaAndValue key = keys.toConnectData(TOPIC, r.key());
            Struct keyStruct = (Struct) key.value();
            assertThat(key.schema())
                    .isEqualTo(
                            SchemaBuilder.struct()
                                    .name(TOPIC + ".Key")
                                    .field("id", Schema.INT32_SCHEMA)
                                    .build());
            assertThat(keyStruct.get("id")).isEqualTo(7);

            SchemaAndValue decoded = values.toConnectData(TOPIC, r.value());
            Struct event = (Struct) decoded.value();
            Schema envelope = decoded.schema();
            assertThat(envelope.name()).isEqualTo(TOPIC + ".Envelope");
            String op = event.getString("op");
            ops.add(op);
            Struct row = event.getStruct(op.equals("d") ? "before" : "after");
            for (Field f : valueSchema.fields()) {
                assertThat(row.schema().field(f.name()).schema())
                        .as("schema of %s", f.name())
                        .isEqualTo(f.schema());
                assertThat(row.get(f.name()))
                        .as("value of %s", f.name())
                        .isEqualTo(expectedRow.get(f.name()));
            }
            Schema expectedEnvelope =
                    Envelope.defineSchema()
                            .withName(TOPIC + ".Envelope")
                            .withRecord(valueSchema)
                            .withSource(envelope.field("source").schema())
                            .build()
                            .schema();
            assertThat(envelope.version()).isEqualTo(expectedEnvelope.version());
            for (Field f : expectedEnvelope.fields()) {
                assertThat(envelope.field(f.name())).as("envelope field %s", f.name()).isNotNull();
                Schema have = envelope.field(f.name()).schema();
                assertThat(have)
                        .as(
                                "schema of envelope field %s: %s %s %s %s %s vs %s %s %s %s %s",
                                f.name(),
                                have.name(),
                                have.version(),
                                have.isOptional(),
                                have.doc(),
                                have.parameters(),
                                f.schema().name(),
                                f.schema().version(),
                                f.schema().isOptional(),
                                f.schema().doc(),
                                f.schema().parameters())
                        .isEqualTo(f.schema());
            }
            Struct source = event.getStruct("source");
            assertThat(source.schema().name())
                    .isIn("io.debezium.connector.postgresql.Source", "io.siphon.Source");
            assertThat(source.getString("name")).isEqualTo("dbz");
            assertThat(source.getString("schema")).isEqualTo("public");
            assertThat(source.getString("table")).isEqualTo("all_types");
            if (op.equals("r")) {
                assertThat(source.getString("snapshot")).isEqualTo("true");
            } else {
                assertThat(source.schema().name())
                        .isEqualTo("io.debezium.connector.postgresql.Source");
                assertThat(source.getString("connector")).isEqualTo("postgresql");
                assertThat(source.getString("snapshot")).isEqualTo("false");
                assertThat(source.getInt64("lsn")).isEqualTo(24_023_128L);
                assertThat(source.getInt64("txId")).isEqualTo(770L);
                assertThat(source.getInt64("ts_ms")).isEqualTo(1_700_000_000_000L);
            }
        }
        assertThat(ops).containsExactly("r", "c", "d");
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), isKey);
        return converter;
    }
}
