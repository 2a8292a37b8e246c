package io.siphon.connector.kafka;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side's view of the brokers: which topics hold which tables (the topic rule read
 * backwards, then the pipeline's {@code tables}), and each table's schema as its newest records
 * say. Driver thread, except {@link #consumer}, which any reader calls for itself.
 */
final class TopicCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCatalog.class);

    /** How many of a partition's last records are searched for one with a schema. */
    private static final int TAIL_RECORDS = 100;

    /** Records the stream takes in one poll. */
    static final int MAX_POLL_RECORDS = 2_000;

    private final KafkaSettings settings;
    private final Topics topics;
    private final TopicTables rule;

    TopicCatalog(KafkaSettings settings, Topics topics) {
        this.settings = settings;
        this.topics = topics;
        this.rule = new TopicTables(settings.topicRule(), settings.prefix());
    }

    /** The topic of each table the filter takes, by table; asks the brokers for their topics. */
    Map<TableId, String> topicsOf(TableFilter filter) {
        return topicsOf(t -> filter.matches(t, settings.prefix()));
    }

    /** The topic of each table taken, by table; asks the brokers for their topics. */
    Map<TableId, String> topicsOf(Predicate<TableId> taken) {
        Map<TableId, String> out = new TreeMap<>();
        for (String topic : topics.names()) {
            rule.tableOf(topic).filter(taken).ifPresent(t -> out.put(t, topic));
        }
        return out;
    }

    /**
     * The tables the filter takes, each with the schema of the newest record among the last ones of
     * its topic's partitions that carries one. A topic without such a record (empty, only
     * tombstones, or written without schemas) is left out until it has one.
     */
    List<TableSchema> discover(TableFilter filter) {
        Map<TableId, String> found = topicsOf(filter);
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, TableId> tableOfTopic = new HashMap<>();
        found.forEach((table, topic) -> tableOfTopic.put(topic, table));
        Map<String, ConsumerRecord<byte[], byte[]>> newest = newestRecords(tableOfTopic.keySet());
        List<TableSchema> out = new ArrayList<>();
        for (Map.Entry<TableId, String> e : found.entrySet()) {
            ConsumerRecord<byte[], byte[]> record = newest.get(e.getValue());
            if (record == null) {
                LOG.info(
                        "Topic {} holds no change event with a schema yet; table {} is taken once"
                                + " it does",
                        e.getValue(),
                        e.getKey());
                continue;
            }
            out.add(EnvelopeReader.schemaOf(e.getKey(), record));
        }
        return out;
    }

    /** Per topic, its newest record ({@link #NEWER}) that has a value with a schema. */
    private Map<String, ConsumerRecord<byte[], byte[]>> newestRecords(
            java.util.Collection<String> names) {
        Map<String, ConsumerRecord<byte[], byte[]>> newest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = partitions(consumer, names);
            // Assigned before the offsets are asked for: the consumer notes the partitions'
            // stable offsets only for partitions it holds (and warns about the others).
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - TAIL_RECORDS));
            }
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new SiphonException(
                            ErrorCode.CONNECTION_FAILED,
                            "Could not read the last records of "
                                    + names
                                    + " from Kafka at "
                                    + settings.bootstrapServers()
                                    + " within "
                                    + settings.timeout().toSeconds()
                                    + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null
                            && hasSchema(r.value())
                            && NEWER.compare(r, newest.get(r.topic())) > 0) {
                        newest.put(r.topic(), r);
                    }
                }
            }
        } catch (KafkaException e) {
            throw topics.unreachable(e);
        }
        return newest;
    }

    /**
     * Keyed records before those without a key (a truncate has none, and would hide the table's
     * key), then by time and offset.
     */
    private static final Comparator<ConsumerRecord<byte[], byte[]>> NEWER =
            Comparator.nullsFirst(
                    Comparator.<ConsumerRecord<byte[], byte[]>, Boolean>comparing(
                                    r -> r.key() != null)
                            .thenComparingLong(ConsumerRecord::timestamp)
                            .thenComparingLong(ConsumerRecord::offset));

    /** Whether a value looks like JsonConverter's {@code {"schema": {...}, "payload": ...}}. */
    private static boolean hasSchema(byte[] value) {
        int i = 0;
        while (i < value.length && Character.isWhitespace(value[i])) {
            i++;
        }
        String start = new String(value, i, Math.min(12, value.length - i));
        return start.startsWith("{\"schema\":{");
    }

    /** Every partition of the topics. */
    static List<TopicPartition> partitions(
            org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
            java.util.Collection<String> names) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : names) {
            List<PartitionInfo> info = consumer.partitionsFor(topic);
            if (info == null || info.isEmpty()) {
                throw new SiphonException(
                        ErrorCode.TABLE_NOT_FOUND,
                        "Topic " + topic + " has no partitions at the brokers; was it deleted?");
            }
            info.forEach(p -> out.add(new TopicPartition(topic, p.partition())));
        }
        return out;
    }

    /**
     * A consumer of this connector's brokers that commits nothing by itself, reads only committed
     * records of transactional producers, and belongs to {@code group} (null: to none).
     */
    KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> config = settings.clientSettings();
        config.put(
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.timeout().toMillis());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(
                config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
