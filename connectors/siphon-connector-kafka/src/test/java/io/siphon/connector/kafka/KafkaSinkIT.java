package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Truncate;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class KafkaSinkIT {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Connector connector(Map<String, Object> extra) {
        return KafkaConnectors.connector(KAFKA.broker().bootstrapServers(), extra);
    }

    private static TableSchema items(TableId id) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("name", DataType.StringType.unbounded())),
                List.of("id"));
    }

    @Test
    void writesSnapshotRowsAndChangesAsDebeziumEventsKeyedByPrimaryKey() {
        TableId id = TableId.of("shop", "items");
        try (Connector c = connector(Map.of("topic-prefix", "events", "schemas", false))) {
            assertThat(c.check(Usage.SINK, TableFilter.of(List.of(), List.of()))).isEmpty();
            TableSchema t = c.sink().prepareTable(items(id), id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(t, List.of(Row.of(1, "a"), Row.of(2, "b")), WriteMode.BULK_APPEND);
                w.apply(
                        t,
                        List.<ChangeEvent>of(
                                new Insert(id, Row.of(3, "c"), EventMeta.NONE),
                                new Update(
                                        id, Row.of(1, "a"), false, Row.of(1, "a2"), EventMeta.NONE),
                                new Update(
                                        id, Row.of(2, null), true, Row.of(20, "b"), EventMeta.NONE),
                                new Delete(id, Row.of(3, null), true, EventMeta.NONE),
                                new Truncate(id, EventMeta.NONE)));
                w.flush();
            }
        }
        List<String> seen =
                TopicReader.readAll(KAFKA.broker().bootstrapServers(), "events.shop.items").stream()
                        .map(KafkaSinkIT::describe)
                        .toList();
        assertThat(seen)
                .containsExactly(
                        "{\"id\":1} r null->{\"id\":1,\"name\":\"a\"}",
                        "{\"id\":2} r null->{\"id\":2,\"name\":\"b\"}",
                        "{\"id\":3} c null->{\"id\":3,\"name\":\"c\"}",
                        "{\"id\":1} u {\"id\":1,\"name\":\"a\"}->{\"id\":1,\"name\":\"a2\"}",
                        "{\"id\":2} d {\"id\":2,\"name\":null}->null",
                        "{\"id\":2} tombstone",
                        "{\"id\":20} c null->{\"id\":20,\"name\":\"b\"}",
                        "{\"id\":3} d {\"id\":3,\"name\":null}->null",
                        "{\"id\":3} tombstone",
                        "null t null->null");
    }

    @Test
    void rowFormatWritesTheRowAndATombstoneForADelete() {
        TableId id = TableId.of("shop", "plain");
        try (Connector c =
                connector(Map.of("format", "row", "schemas", false, "topic", "rows-{table}"))) {
            TableSchema t = c.sink().prepareTable(items(id), id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.apply(
                        t,
                        List.<ChangeEvent>of(
                                new Insert(id, Row.of(1, "a"), EventMeta.NONE),
                                new Delete(id, Row.of(1, null), true, EventMeta.NONE)));
                w.flush();
            }
        }
        assertThat(
                        TopicReader.readAll(KAFKA.broker().bootstrapServers(), "rows-plain")
                                .stream()
                                .map(r -> text(r.key()) + " " + text(r.value()))
                                .toList())
                .containsExactly("{\"id\":1} {\"id\":1,\"name\":\"a\"}", "{\"id\":1} null");
    }

    @Test
    void aWriterOfTheSameSlotFencesTheZombieAndAbortsWhatItPrepared() {
        TableId id = TableId.of("shop", "fenced");
        Map<String, Object> exactlyOnce =
                Map.of("topic-prefix", "zombie", "schemas", false, "delivery", "exactly-once");
        try (Connector c = connector(exactlyOnce);
                Connector restarted = connector(exactlyOnce)) {
            TableSchema t = c.sink().prepareTable(items(id), id, "postgres").schema();
            String topic = "zombie.shop.fenced";
            try (SinkWriter zombie = c.sink().openWriter("orders", 0)) {
                assertThat(zombie.twoPhaseCommit()).isTrue();
                zombie.apply(t, List.of(new Insert(id, Row.of(1, "lost"), EventMeta.NONE)));
                zombie.prepareCommit();
                assertThat(TopicReader.readAll(servers(), topic, "read_uncommitted")).hasSize(1);

                try (SinkWriter next = restarted.sink().openWriter("orders", 0)) {
                    assertThatThrownBy(zombie::commitPrepared)
                            .isInstanceOf(SiphonException.class)
                            .hasMessageContaining("fenced this one")
                            .hasMessageContaining("zombie.orders.0");
                    next.apply(t, List.of(new Insert(id, Row.of(2, "kept"), EventMeta.NONE)));
                    next.flush();
                }
            }
            List<ConsumerRecord<byte[], byte[]>> committed =
                    TopicReader.readAll(servers(), topic, "read_committed");
            assertThat(committed).hasSize(1);
            assertThat(JSON.readTree(committed.get(0).value()).at("/after/name").asString())
                    .isEqualTo("kept");
        }
    }

    @Test
    void exactlyOnceCheckNamesATransactionTimeoutTheBrokersRefuseWithTheFix() {
        try (Connector c =
                connector(
                        Map.of(
                                "topic-prefix",
                                "refused",
                                "delivery",
                                "exactly-once",
                                "transaction-timeout",
                                "20m"))) {
            List<Problem> problems = c.check(Usage.SINK, TableFilter.of(List.of(), List.of()));
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).code())
                    .as(problems.toString())
                    .isEqualTo(ErrorCode.SERVER_SETTING);
            assertThat(problems.get(0).message()).contains("refused.siphon-check");
            assertThat(problems.get(0).fix())
                    .as(problems.get(0).message())
                    .contains("lower the sink's transaction-timeout")
                    .contains("transaction.max.timeout.ms");
        }
    }

    private static String servers() {
        return KAFKA.broker().bootstrapServers();
    }

    @Test
    void checkNamesTheBrokerItCannotReach() {
        Map<String, Object> raw = Map.of("bootstrap-servers", "127.0.0.1:1", "timeout", "2s");
        try (Connector c =
                new KafkaConnectorFactory()
                        .create(Config.of(raw, new KafkaConnectorFactory().options(), List.of()))) {
            List<Problem> problems = c.check(Usage.SINK, TableFilter.of(List.of(), List.of()));
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
            assertThat(problems.get(0).message()).contains("127.0.0.1:1");
        }
    }

    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        String key = text(r.key());
        if (r.value() == null) {
            return key + " tombstone";
        }
        JsonNode v = JSON.readTree(r.value());
        return key
                + " "
                + v.get("op").asString()
                + " "
                + v.get("before").toString()
                + "->"
                + v.get("after").toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
