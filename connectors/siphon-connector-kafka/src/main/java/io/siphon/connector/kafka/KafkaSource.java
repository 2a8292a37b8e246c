package io.siphon.connector.kafka;

import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StreamPart;
import io.siphon.spi.StreamSource;
import io.siphon.spi.StreamStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The reading side: the change events in the topics of the pipeline's tables. Stream only: a topic
 * holds the rows written before the pipeline started as events too ({@code r} of a snapshot, {@code
 * c} of later inserts), so a new pipeline reads each topic from its beginning and needs no snapshot
 * of its own.
 *
 * <p>With {@code readers} above 1 the stream is read in parts: partition {@code p} of topic {@code
 * t} belongs to part {@code floorMod(t.hashCode() + p, readers)} (stable across runs and
 * processes), so a one-partition topic is read whole by one part and a topic's partitions spread
 * over consecutive parts.
 */
final class KafkaSource implements StreamSource {

    private static final KafkaOffsetCodec CODEC = new KafkaOffsetCodec();

    private final KafkaSettings settings;
    private final TopicCatalog catalog;
    private final String groupRule;
    private final int readers;

    KafkaSource(KafkaSettings settings, TopicCatalog catalog, String groupRule, int readers) {
        this.settings = settings;
        this.catalog = catalog;
        this.groupRule = groupRule;
        this.readers = readers;
    }

    /** The part of {@code parts} that reads a partition. */
    static int partOf(TopicPartition partition, int parts) {
        return Math.floorMod(partition.topic().hashCode() + partition.partition(), parts);
    }

    /** The {@code readers} option. */
    @Override
    public int parts() {
        return readers;
    }

    /** The consumer group that the pipeline's position is committed to. */
    String group(String pipeline) {
        return groupRule.replace("{pipeline}", pipeline);
    }

    /** Nothing to create: a new pipeline starts at the beginning of every topic. */
    @Override
    public StreamStart prepare(
            String pipeline, List<TableSchema> tables, Offset resumeFrom, boolean withSnapshot) {
        return new StreamStart(resumeFrom != null ? resumeFrom : KafkaOffset.START, null);
    }

    @Override
    public ChangeStream open(
            String pipeline, List<TableSchema> tables, Offset from, Set<TableId> asOfFrom) {
        return open(pipeline, tables, from, asOfFrom, StreamPart.WHOLE);
    }

    @Override
    public ChangeStream open(
            String pipeline,
            List<TableSchema> tables,
            Offset from,
            Set<TableId> asOfFrom,
            StreamPart part) {
        KafkaOffset start = (KafkaOffset) from;
        Set<TableId> ids = new HashSet<>();
        tables.forEach(t -> ids.add(t.id()));
        Map<TableId, String> topics = catalog.topicsOf(ids::contains);
        Map<String, TableId> tableOfTopic = new HashMap<>();
        for (TableSchema t : tables) {
            String topic = topics.get(t.id());
            if (topic == null) {
                throw new SiphonException(
                        ErrorCode.TABLE_NOT_FOUND,
                        "No topic at "
                                + settings.bootstrapServers()
                                + " holds table "
                                + t.id()
                                + " by the rule '"
                                + settings.topicRule()
                                + "'; was it deleted?");
            }
            tableOfTopic.put(topic, t.id());
        }
        KafkaConsumer<byte[], byte[]> consumer = catalog.consumer(group(pipeline));
        List<TopicPartition> partitions;
        Map<String, Set<Integer>> partsOfTopic = new HashMap<>();
        try {
            partitions = new ArrayList<>();
            for (TopicPartition p : TopicCatalog.partitions(consumer, tableOfTopic.keySet())) {
                int of = partOf(p, part.count());
                partsOfTopic.computeIfAbsent(p.topic(), t -> new HashSet<>()).add(of);
                if (of == part.index()) {
                    partitions.add(p);
                }
            }
            consumer.assign(partitions);
            for (TopicPartition p : partitions) {
                long next = start.next(p.topic(), p.partition());
                if (next < 0) {
                    consumer.seekToBeginning(List.of(p));
                } else {
                    consumer.seek(p, next);
                }
            }
        } catch (KafkaException e) {
            consumer.close();
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Could not read from Kafka at " + settings.bootstrapServers() + ": " + e,
                    e);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        if (part.whole()) {
            return new KafkaChangeStream(
                    settings,
                    consumer,
                    tableOfTopic,
                    tables,
                    start,
                    Set.of(),
                    TopicCatalog.MAX_POLL_RECORDS);
        }
        // A part's position and schemas are those of its share only: the engine merges them
        // into the stored ones, which the other parts' shares keep.
        Set<String> read = new HashSet<>();
        Map<String, Map<Integer, Long>> own = new HashMap<>();
        for (TopicPartition p : partitions) {
            read.add(p.topic());
            long next = start.next(p.topic(), p.partition());
            if (next >= 0) {
                own.computeIfAbsent(p.topic(), t -> new HashMap<>()).put(p.partition(), next);
            }
        }
        Set<TableId> readTables = new HashSet<>();
        Set<TableId> shared = new HashSet<>();
        read.forEach(
                topic -> {
                    readTables.add(tableOfTopic.get(topic));
                    if (partsOfTopic.get(topic).size() > 1) {
                        shared.add(tableOfTopic.get(topic));
                    }
                });
        Map<String, TableId> readTopics = new HashMap<>(tableOfTopic);
        readTopics.keySet().retainAll(read);
        return new KafkaChangeStream(
                settings,
                consumer,
                readTopics,
                tables.stream().filter(t -> readTables.contains(t.id())).toList(),
                new KafkaOffset(own),
                shared,
                TopicCatalog.MAX_POLL_RECORDS);
    }

    /** Deletes the pipeline's consumer group, with its committed offsets. */
    @Override
    public void drop(String pipeline, Offset position, boolean force) {
        try (Admin admin = Admin.create(settings.adminSettings())) {
            admin.deleteConsumerGroups(List.of(group(pipeline)))
                    .all()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw new SiphonException(
                        ErrorCode.CONNECTION_FAILED,
                        "Could not delete consumer group "
                                + group(pipeline)
                                + " at "
                                + settings.bootstrapServers()
                                + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "Kafka at " + settings.bootstrapServers() + " did not answer in time",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.CONNECTION_FAILED, "Interrupted", e);
        }
    }

    @Override
    public OffsetCodec<? extends Offset> offsetCodec() {
        return CODEC;
    }
}
