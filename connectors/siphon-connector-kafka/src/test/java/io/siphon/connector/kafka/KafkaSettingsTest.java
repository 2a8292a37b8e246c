package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.TableId;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static KafkaSettings settings(Map<String, Object> extra) {
        return new KafkaSettings(
                Config.of(
                        KafkaConnectors.options("broker:9092", extra),
                        KafkaOptions.ALL,
                        List.of()));
    }

    @Test
    void namesTopicsByPrefixSchemaAndTableAsDebeziumDoes() {
        KafkaSettings s = settings(Map.of("topic-prefix", "shop"));
        assertThat(s.topicOf(TableId.of("public", "orders"))).isEqualTo("shop.public.orders");
        assertThat(s.topicOf(TableId.of("public", "order items$")))
                .isEqualTo("shop.public.order_items_");
        assertThat(s.schemaChangeTopic()).isEqualTo("shop");
    }

    @Test
    void takesARuleWithMoreNameParts() {
        KafkaSettings s = settings(Map.of("topic", "cdc.eu-west.{prefix}.{schema}.{table}.v1"));
        assertThat(s.topicOf(TableId.of("sales", "orders")))
                .isEqualTo("cdc.eu-west.siphon.sales.orders.v1");
    }

    @Test
    void refusesARuleWithoutTheTable() {
        assertThatThrownBy(() -> settings(Map.of("topic", "{prefix}.all")))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("must contain {table}")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
    }

    @Test
    void refusesAPrefixKafkaCannotName() {
        assertThatThrownBy(() -> settings(Map.of("topic-prefix", "my shop")))
                .hasMessageContaining("'topic-prefix' is 'my shop'");
    }

    @Test
    void refusesClientPropertiesTheConnectorSetsItself() {
        assertThatThrownBy(() -> settings(Map.of("client-properties", Map.of("acks", "1"))))
                .hasMessageContaining("sets acks, which the connector sets itself");
    }

    @Test
    void refusesAnUnknownCompressionNamingTheChoices() {
        assertThatThrownBy(() -> settings(Map.of("compression", "lz5")))
                .hasMessageContaining("none | gzip | snappy | lz4 | zstd")
                .hasMessageContaining("did you mean 'lz4'?");
    }

    @Test
    void producesIdempotentlyWithEveryReplicaAcknowledging() {
        Map<String, Object> producer = settings(Map.of("compression", "zstd")).producerSettings();
        assertThat(producer)
                .containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all")
                .containsEntry("compression.type", "zstd");
    }

    @Test
    void deliversAtLeastOnceUnlessToldOtherwise() {
        assertThat(settings(Map.of()).delivery().exactlyOnce()).isFalse();
        KafkaSettings s = settings(Map.of("delivery", "exactly-once", "topic-prefix", "shop"));
        assertThat(s.delivery().exactlyOnce()).isTrue();
        assertThat(s.delivery().positionsTopic()).isEqualTo("shop.siphon-positions");
        assertThat(s.producerSettings(KafkaTransactions.transactionalId(s, "orders", 2)))
                .containsEntry("transactional.id", "shop.orders.2")
                .containsEntry("transaction.timeout.ms", 60_000);
    }

    @Test
    void refusesATransactionTimeoutShorterThanTwoCheckpointsNamingTheOptionAndTheFix() {
        KafkaSettings s =
                settings(Map.of("delivery", "exactly-once", "transaction-timeout", "10s"));
        assertThat(KafkaTransactions.checkpointProblems(s, Duration.ofSeconds(5))).isEmpty();
        List<Problem> problems = KafkaTransactions.checkpointProblems(s, Duration.ofSeconds(6));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
        assertThat(problems.get(0).message())
                .contains("transaction-timeout (10000 ms)")
                .contains("checkpoint-interval (6000 ms)");
        assertThat(problems.get(0).fix()).contains("transaction-timeout to at least 12000ms");
        assertThat(
                        KafkaTransactions.checkpointProblems(
                                settings(Map.of("transaction-timeout", "1s")),
                                Duration.ofSeconds(6)))
                .as("at least once opens no transactions")
                .isEmpty();
    }

    @Test
    void refusesATransactionalIdInClientProperties() {
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "client-properties",
                                                Map.of("transactional.id", "mine"))))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("transactional.id");
    }
}
