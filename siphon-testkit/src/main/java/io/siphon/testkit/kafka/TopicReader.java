package io.siphon.testkit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of a topic, from the start to its end as of now, as a consumer of its own (a
 * fresh group, nothing committed).
 */
public final class TopicReader {

    private TopicReader() {}

    /** Every record of the topic, uncommitted ones included, in partition order. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String servers, String topic) {
        return readAll(servers, topic, "read_uncommitted");
    }

    /**
     * Every record of the topic that a consumer with this {@code isolation.level} sees ({@code
     * read_committed}: those of committed transactions and those written without one), in partition
     * order; up to the end offsets of now (for {@code read_committed}, up to the first record of a
     * transaction still open).
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            String servers, String topic, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(servers, isolation)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end =
                    isolation.equals("read_committed")
                            ? settled(servers, partitions, consumer)
                            : consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " not read to its end in 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * The committed end once the commit markers of transactions already committed are written. A
     * producer's commit returns before the brokers have written its markers, and until then a
     * {@code read_committed} end stops at the transaction's first record: a read right after a
     * commit would miss it. Waits (up to 10 s) for the committed end to reach the end of the log; a
     * transaction still open keeps it short, and its records unread, as it should.
     */
    private static Map<TopicPartition, Long> settled(
            String servers,
            List<TopicPartition> partitions,
            KafkaConsumer<byte[], byte[]> committed) {
        Map<TopicPartition, Long> log;
        try (KafkaConsumer<byte[], byte[]> all = consumer(servers, "read_uncommitted")) {
            log = all.endOffsets(partitions);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<TopicPartition, Long> now = committed.endOffsets(partitions);
        while (!now.equals(log) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
            now = committed.endOffsets(partitions);
        }
        return now;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String servers, String isolation) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        servers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        isolation,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
