package io.siphon.cli.demo;

import io.siphon.cli.terminal.Units;
import io.siphon.connector.kafka.KafkaSettings;
import io.siphon.connector.kafka.RecordDecoder;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's Kafka target as consumers see it, through two consumers without a group: one reads
 * each table's topic from its beginning and keeps the latest record of every key, as a compacted
 * topic would (a tombstone or a {@code d} event forgets the key), for the verification; the other
 * follows the topics from their end while changes stream and shows a few of the records it
 * receives. Each consumer is used by one thread at a time (the methods are synchronized).
 */
final class KafkaTopics implements AutoCloseable {

    private static final int EXAMPLES = 3;
    private static final int SHORT_JSON = 110;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final JsonMapper json = JsonMapper.builder().build();
    private final KafkaSettings settings;
    private final RecordDecoder decoder;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Set<TopicPartition> read = new HashSet<>();

    /** By topic and record key: the {@code after} row of the key's latest record, as JSON. */
    private final Map<String, Map<ByteBuffer, byte[]>> latest = new HashMap<>();

    private KafkaConsumer<byte[], byte[]> watcher;

    KafkaTopics(KafkaSettings settings) {
        this.settings = settings;
        this.decoder = new RecordDecoder(settings.encoding());
        this.reader = consumer();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(settings.clientSettings());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // Reading must not create a topic that the sink has not written yet.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(
                config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The rows of a target table as its topic holds them now: the {@code after} of each key's
     * latest record, decoded with the table's schema (columns matched by name).
     */
    synchronized List<Row> rows(TableSchema target) {
        String topic = settings.topicOf(target.id());
        try {
            catchUp(topic);
        } catch (KafkaException e) {
            throw failed("reading topic " + topic, e);
        }
        List<Row> rows = new ArrayList<>();
        for (byte[] after : latest.getOrDefault(topic, Map.of()).values()) {
            rows.add(decoder.row(after, target));
        }
        return rows;
    }

    /** Reads every partition of the topic (new ones from their beginning) up to its end now. */
    private void catchUp(String topic) {
        List<TopicPartition> partitions = partitions(reader, topic);
        List<TopicPartition> added = partitions.stream().filter(p -> !read.contains(p)).toList();
        if (!added.isEmpty()) {
            read.addAll(added);
            reader.assign(List.copyOf(read));
            reader.seekToBeginning(added);
        }
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new SiphonException(
                        ErrorCode.CONNECTION_LOST,
                        "could not read topic "
                                + topic
                                + " to its end within "
                                + Units.duration(CATCH_UP_TIMEOUT));
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(POLL)) {
                keep(r);
            }
        }
    }

    private void keep(ConsumerRecord<byte[], byte[]> r) {
        Map<ByteBuffer, byte[]> rows = latest.computeIfAbsent(r.topic(), t -> new HashMap<>());
        ByteBuffer key = ByteBuffer.wrap(r.key());
        if (r.value() == null) {
            rows.remove(key);
            return;
        }
        JsonNode event = payload(r.value());
        if (event.get("op").asString().equals("d")) {
            rows.remove(key);
        } else {
            rows.put(key, json.writeValueAsBytes(event.get("after")));
        }
    }

    /**
     * What a consumer following the tables' topics received since the last call (nothing on the
     * first, which starts it at the topics' end): a line with the count, then a few records, the
     * first of each kind, as op, key and a shortened row.
     */
    synchronized List<String> received(List<TableId> targets) {
        try {
            return receivedSinceLastCall(targets);
        } catch (KafkaException e) {
            throw failed("following the topics", e);
        }
    }

    private List<String> receivedSinceLastCall(List<TableId> targets) {
        if (watcher == null) {
            watcher = consumer();
            List<TopicPartition> partitions = new ArrayList<>();
            for (TableId target : targets) {
                partitions.addAll(partitions(watcher, settings.topicOf(target)));
            }
            watcher.assign(partitions);
            watcher.seekToEnd(partitions);
            partitions.forEach(watcher::position);
            return List.of();
        }
        Map<String, ConsumerRecord<byte[], byte[]>> examples = new LinkedHashMap<>();
        long count = 0;
        // Until the records that arrived so far are drained, or a second passed; an empty first
        // poll may only mean that the fetch is on its way.
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        ConsumerRecords<byte[], byte[]> batch;
        do {
            batch = watcher.poll(POLL);
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                count++;
                String kind =
                        r.value() == null ? "tombstone" : payload(r.value()).get("op").asString();
                if (examples.size() < EXAMPLES) {
                    examples.putIfAbsent(kind, r);
                }
            }
        } while ((count == 0 || !batch.isEmpty()) && System.nanoTime() < deadline);
        if (count == 0) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("A Kafka consumer received " + Units.count(count) + " records; for example:");
        examples.values().forEach(r -> lines.add("  " + describe(r)));
        return lines;
    }

    /** A record as op, topic, key and a shortened before or after. */
    private String describe(ConsumerRecord<byte[], byte[]> r) {
        String key = shortened(payload(r.key()).toString());
        if (r.value() == null) {
            return r.topic() + " key " + key + ": tombstone (null value)";
        }
        JsonNode event = payload(r.value());
        String op = event.get("op").asString();
        String row = op.equals("d") ? "before" : "after";
        return "op "
                + op
                + " "
                + r.topic()
                + " key "
                + key
                + " "
                + row
                + " "
                + shortened(event.get(row).toString());
    }

    /** The payload of a record part: inside {@code {"schema", "payload"}} when it has a schema. */
    private JsonNode payload(byte[] bytes) {
        JsonNode node = json.readTree(bytes);
        return settings.encoding().schemas() ? node.get("payload") : node;
    }

    /** A client error as the demo reports it. */
    private SiphonException failed(String what, KafkaException e) {
        return new SiphonException(
                ErrorCode.CONNECTION_LOST,
                what + " at " + settings.bootstrapServers() + " failed: " + e.getMessage(),
                e);
    }

    private static String shortened(String text) {
        return text.length() <= SHORT_JSON ? text : text.substring(0, SHORT_JSON) + "...";
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    @Override
    public synchronized void close() {
        try {
            reader.close();
        } finally {
            if (watcher != null) {
                watcher.close();
            }
        }
    }
}
