package io.siphon.connector.kafka;

import io.siphon.connector.support.change.AppliedPositions;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a pipeline's exactly-once writers have committed to Kafka, kept in the positions topic (a
 * compacted topic, {@link KafkaOptions#POSITIONS_TOPIC}) and written in the writer's transaction,
 * so that it is committed exactly when the records are: Kafka's twin of the JDBC sinks' {@code
 * AppliedLedger}. Two kinds of record, keyed by pipeline:
 *
 * <ul>
 *   <li>{@code {"pipeline": p, "table": t}} → {@code {"commit": c, "index": i}}: the place of the
 *       last change of target table {@code t} committed. A replay skips the changes at or before
 *       it.
 *   <li>{@code {"pipeline": p, "snapshot": s, "chunk": id}} → {@code {"rows": n}}: a snapshot chunk
 *       whose rows are all committed. A resumed snapshot does not write it again.
 * </ul>
 *
 * Read once, when the writer opens, with {@code read_committed} up to the topic's end as it was
 * then: the run's earlier transactions must have ended first (the writer's own is aborted by its
 * {@code initTransactions}; one of a slot this run does not open ends at the transaction timeout).
 * Used by one writer thread.
 */
final class KafkaPositions {

    private final KafkaSettings settings;
    private final JsonMapper json;
    private final String pipeline;
    private final Map<String, ChangeOrder> committed = new HashMap<>();
    private final Map<String, Long> chunks = new HashMap<>();
    private final Map<String, Long> chunksUnrecorded = new LinkedHashMap<>();
    private final AppliedPositions positions =
            new AppliedPositions(t -> committed.get(t.toString()));

    KafkaPositions(KafkaSettings settings, JsonMapper json, String pipeline) {
        this.settings = settings;
        this.json = json;
        this.pipeline = pipeline;
    }

    /**
     * Reads what the pipeline committed, up to {@code end} (the topic's end offsets, uncommitted
     * records included, when the writer opened).
     */
    void load(Map<TopicPartition, Long> end) {
        Map<String, Object> config = settings.clientSettings();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Duration patience = settings.delivery().transactionTimeout().plus(settings.timeout());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(end.keySet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + patience.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new SiphonException(
                            ErrorCode.SINK_WRITE_RETRIABLE,
                            "The positions topic "
                                    + settings.delivery().positionsTopic()
                                    + " at "
                                    + settings.bootstrapServers()
                                    + " still has a transaction open after "
                                    + patience.toSeconds()
                                    + " s; an earlier run of pipeline "
                                    + pipeline
                                    + " in a writer slot this run does not use (a lower"
                                    + " parallelism) left it, and the brokers abort it after"
                                    + " transaction-timeout: run the pipeline again then");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read(r.key(), r.value());
                }
            }
        }
    }

    private void read(byte[] keyBytes, byte[] value) {
        if (keyBytes == null) {
            return;
        }
        JsonNode key = json.readTree(keyBytes);
        if (!pipeline.equals(key.path("pipeline").asString(null))) {
            return;
        }
        if (key.has("table")) {
            String table = key.get("table").asString();
            if (value == null) {
                committed.remove(table);
            } else {
                JsonNode v = json.readTree(value);
                committed.put(
                        table, new ChangeOrder(v.get("commit").asLong(), v.get("index").asLong()));
            }
        } else if (key.has("chunk")) {
            String chunk = chunkKey(key.get("snapshot").asString(), key.get("chunk").asString());
            if (value == null) {
                chunks.remove(chunk);
            } else {
                chunks.put(chunk, json.readTree(value).get("rows").asLong());
            }
        }
    }

    /**
     * The changes after the table's committed place (all of them when it has none), and notes the
     * last as applied in the open transaction.
     */
    List<ChangeEvent> fresh(TableId table, List<ChangeEvent> changes) {
        try {
            return positions.fresh(table, changes);
        } catch (SQLException e) {
            throw new IllegalStateException("positions are read from memory", e);
        }
    }

    /** Whether a chunk's rows were all committed by an earlier writer of the pipeline. */
    boolean chunkApplied(String snapshot, SnapshotSplit split) {
        return chunks.containsKey(chunkKey(snapshot, split.id()));
    }

    /** Notes a chunk as done in the open transaction. */
    void chunkDone(String snapshot, SnapshotSplit split, long rows) {
        chunksUnrecorded.put(chunkKey(snapshot, split.id()), rows);
    }

    /**
     * The records that write what the open transaction applied and did not record yet; the writer
     * sends them into the transaction, then calls {@link #recorded()}.
     */
    List<ProducerRecord<byte[], byte[]>> unrecorded() {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        positions
                .unrecorded()
                .forEach(
                        (table, order) ->
                                out.add(
                                        record(
                                                tableKey(table.toString()),
                                                Map.of(
                                                        "commit",
                                                        order.commit(),
                                                        "index",
                                                        order.index()))));
        chunksUnrecorded.forEach(
                (chunk, rows) -> out.add(record(chunkRecordKey(chunk), Map.of("rows", rows))));
        return out;
    }

    /** Notes that {@link #unrecorded()} went into the open transaction. */
    void recorded() {
        positions.recorded();
        chunks.putAll(chunksUnrecorded);
        chunksUnrecorded.clear();
    }

    /**
     * Tombstones for every record of the pipeline read by {@link #load}, so that compaction drops
     * them.
     */
    List<ProducerRecord<byte[], byte[]>> tombstones() {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        committed.keySet().forEach(table -> out.add(record(tableKey(table), null)));
        chunks.keySet().forEach(chunk -> out.add(record(chunkRecordKey(chunk), null)));
        return out;
    }

    private ProducerRecord<byte[], byte[]> record(Map<String, Object> key, Object value) {
        return new ProducerRecord<>(
                settings.delivery().positionsTopic(),
                json.writeValueAsBytes(key),
                value == null ? null : json.writeValueAsBytes(value));
    }

    /** A key in a fixed field order: compaction compares keys byte for byte. */
    private Map<String, Object> tableKey(String table) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("pipeline", pipeline);
        key.put("table", table);
        return key;
    }

    private Map<String, Object> chunkRecordKey(String chunk) {
        int split = chunk.indexOf('\n');
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("pipeline", pipeline);
        key.put("snapshot", chunk.substring(0, split));
        key.put("chunk", chunk.substring(split + 1));
        return key;
    }

    private static String chunkKey(String snapshot, String chunk) {
        return snapshot + "\n" + chunk;
    }
}
