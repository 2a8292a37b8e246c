package io.siphon.connector.kafka;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change events in the topics of a pipeline's tables, read by one consumer that is assigned
 * every partition of those topics, or of a part's share of them (no group rebalancing: the position
 * is the pipeline's, stored with its state). Records come in order within each partition, so each
 * row's changes stay in order (a key always goes to the same partition); partitions have no order
 * among themselves.
 *
 * <p>The position is the next offset of every partition. It is acknowledged by committing it to the
 * consumer group, only once the engine has stored it after the sink flushed, so the group's offsets
 * show how far the target is (lag tools work) and never run ahead of it. The stored position, not
 * the group's, is where a restart resumes.
 */
final class KafkaChangeStream implements ChangeStream {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeStream.class);

    private final KafkaSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, TableId> tableOfTopic;
    private final EnvelopeReader reader;
    private final Map<String, Map<Integer, Long>> next = new HashMap<>();
    private final Set<TableId> shared;
    private final int maxPollRecords;
    private KafkaOffset safe;
    private Map<TableId, TableSchema> safeSchemas;
    private boolean full;

    /**
     * @param consumer a consumer assigned every partition of the topics, positioned at {@code from}
     * @param tableOfTopic the table of each topic
     * @param tables the tables with their schemas as of {@code from} (or as of now)
     * @param shared the tables whose partitions other parts read too: their schema must not change,
     *     since the other parts would not see the change in order with their own records
     */
    KafkaChangeStream(
            KafkaSettings settings,
            Consumer<byte[], byte[]> consumer,
            Map<String, TableId> tableOfTopic,
            List<TableSchema> tables,
            KafkaOffset from,
            Set<TableId> shared,
            int maxPollRecords) {
        this.settings = settings;
        this.consumer = consumer;
        this.tableOfTopic = Map.copyOf(tableOfTopic);
        Map<TableId, TableSchema> known = new HashMap<>();
        tables.forEach(t -> known.put(t.id(), t));
        this.reader = new EnvelopeReader(known);
        this.shared = Set.copyOf(shared);
        this.maxPollRecords = maxPollRecords;
        from.next().forEach((topic, partitions) -> next.put(topic, new HashMap<>(partitions)));
        this.safe = from;
        this.safeSchemas = reader.schemas();
    }

    @Override
    public List<ChangeEvent> poll(Duration timeout) {
        if (consumer.assignment().isEmpty()) {
            // A part with no partition (more readers than partitions) has nothing to wait on.
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (AuthenticationException | AuthorizationException e) {
            throw new SiphonException(
                    ErrorCode.PERMISSION_DENIED,
                    "Kafka at "
                            + settings.bootstrapServers()
                            + " refused to let the source read: "
                            + e.getMessage(),
                    e);
        } catch (KafkaException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST,
                    "Reading from Kafka at " + settings.bootstrapServers() + " failed: " + e,
                    e);
        }
        full = records.count() >= maxPollRecords;
        if (records.isEmpty()) {
            return List.of();
        }
        List<ChangeEvent> out = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            next.computeIfAbsent(r.topic(), t -> new HashMap<>())
                    .put(r.partition(), r.offset() + 1);
            int first = out.size();
            TableId table = tableOfTopic.get(r.topic());
            reader.read(
                    table,
                    r,
                    new KafkaOffset(Map.of(r.topic(), Map.of(r.partition(), r.offset() + 1))),
                    out);
            if (shared.contains(table)) {
                refuseSchemaChange(r, table, out.subList(first, out.size()));
            }
        }
        // Every record returned is a whole change: resuming after any of them loses nothing.
        safe = new KafkaOffset(next);
        safeSchemas = reader.schemas();
        return out;
    }

    /**
     * Stops at a schema change of a table that several parts read: the other parts' rows of the
     * table would reach the target in the schema they last saw, misplaced in the new one.
     */
    private void refuseSchemaChange(
            ConsumerRecord<byte[], byte[]> record, TableId table, List<ChangeEvent> events) {
        for (ChangeEvent e : events) {
            if (e instanceof ChangeEvent.SchemaChange) {
                throw new SiphonException(
                        ErrorCode.SCHEMA_MISMATCH,
                        "The schema of table "
                                + table
                                + " changes at "
                                + record.topic()
                                + "["
                                + record.partition()
                                + "]@"
                                + record.offset()
                                + ", but several readers share the topic's partitions and"
                                + " would not see the change in order; set the source's"
                                + " 'readers: 1', or give the table's topic one partition");
            }
        }
    }

    @Override
    public Offset safePosition() {
        return safe;
    }

    @Override
    public Map<TableId, TableSchema> safeSchemas() {
        return safeSchemas;
    }

    @Override
    public boolean moreWaiting() {
        return full;
    }

    /**
     * Commits the position to the consumer group. Best effort: the pipeline's stored position is
     * what a restart reads, so a failed commit (a broker away) only leaves the group's offsets
     * behind until the next one.
     */
    @Override
    public void acknowledge(Offset offset) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        ((KafkaOffset) offset)
                .next()
                .forEach(
                        (topic, partitions) ->
                                partitions.forEach(
                                        (p, o) ->
                                                commit.put(
                                                        new TopicPartition(topic, p),
                                                        new OffsetAndMetadata(o))));
        if (commit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commit, settings.timeout());
        } catch (KafkaException e) {
            LOG.warn(
                    "Could not commit the source's offsets to Kafka at {} ({}); the pipeline's"
                            + " stored position is unaffected",
                    settings.bootstrapServers(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ZERO);
    }
}
