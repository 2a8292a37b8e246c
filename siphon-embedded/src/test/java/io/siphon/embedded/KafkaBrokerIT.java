package io.siphon.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

    @Test
    void restartKeepsTheRecordsAndThePortAndCloseRemovesTheLog() throws Exception {
        Path root;
        try (KafkaBroker broker = KafkaBroker.start()) {
            root = broker.root();
            String servers = broker.bootstrapServers();
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(
                            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                            new StringSerializer(),
                            new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "v")).get();
            }

            broker.stop();
            broker.restart();

            assertThat(broker.bootstrapServers()).isEqualTo(servers);
            assertThat(readAll(servers, "kept", 1)).containsExactly("k=v");
            assertThat(Files.exists(root)).isTrue();
        }
        assertThat(Files.exists(root)).isFalse();
    }

    private static List<String> readAll(String servers, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                servers,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "test"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
            return seen;
        }
    }
}
