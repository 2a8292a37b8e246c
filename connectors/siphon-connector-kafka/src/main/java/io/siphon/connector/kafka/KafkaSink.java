package io.siphon.connector.kafka;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writing side: a topic per target table, named by the topic rule ({@link
 * KafkaSettings#topicOf}) and created when missing, and writers that send each table's changes to
 * its topic.
 */
final class KafkaSink implements Sink {

    private final KafkaSettings settings;
    private final Topics topics;
    private final JsonMapper json = JsonMapper.builder().build();

    KafkaSink(KafkaSettings settings, Topics topics) {
        this.settings = settings;
        this.topics = topics;
    }

    /**
     * Creates the table's topic (and the schema change topic) when missing. A topic holds a log,
     * not a table: nothing is checked against an existing one, and it counts as empty only when
     * created just now.
     */
    @Override
    public PreparedTable prepareTable(TableSchema source, TableId target, String sourceType) {
        String topic = settings.topicOf(target);
        boolean created = topics.ensure(topic);
        topics.ensure(settings.schemaChangeTopic());
        return new PreparedTable(source.withId(target), created, created);
    }

    /**
     * A writer for no pipeline: at least once, or with {@code delivery: exactly-once} in
     * transactions (under an id of its own) that record nothing in the positions topic.
     */
    @Override
    public SinkWriter openWriter() {
        if (!settings.delivery().exactlyOnce()) {
            return new KafkaSinkWriter(settings, json);
        }
        return new KafkaSinkWriter(
                settings, json, settings.prefix() + ".siphon-" + UUID.randomUUID(), null);
    }

    @Override
    public SinkWriter openWriter(String pipeline) {
        return openWriter(pipeline, 0);
    }

    /**
     * With {@code delivery: exactly-once}, a transactional writer under the slot's id ({@code
     * <prefix>.<pipeline>.<writer>}) that knows what the pipeline committed; otherwise an
     * at-least-once writer.
     */
    @Override
    public SinkWriter openWriter(String pipeline, int writer) {
        if (!settings.delivery().exactlyOnce()) {
            return new KafkaSinkWriter(settings, json);
        }
        String topic = settings.delivery().positionsTopic();
        topics.ensureCompacted(topic);
        KafkaPositions positions = new KafkaPositions(settings, json, pipeline);
        KafkaSinkWriter w =
                new KafkaSinkWriter(
                        settings,
                        json,
                        KafkaTransactions.transactionalId(settings, pipeline, writer),
                        positions);
        try {
            // After the writer fenced its slot: the slot's aborted transaction no longer holds
            // the read back.
            positions.load(topics.endOffsets(topic));
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    @Override
    public List<Problem> checkCheckpointInterval(Duration checkpointInterval) {
        return KafkaTransactions.checkpointProblems(settings, checkpointInterval);
    }

    /** Writes tombstones for the pipeline's records in the positions topic. */
    @Override
    public long forgetPipeline(String pipeline) {
        String topic = settings.delivery().positionsTopic();
        if (!topics.names().contains(topic)) {
            return 0;
        }
        KafkaPositions positions = new KafkaPositions(settings, json, pipeline);
        positions.load(topics.endOffsets(topic));
        List<ProducerRecord<byte[], byte[]>> tombstones = positions.tombstones();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings.producerSettings())) {
            tombstones.forEach(producer::send);
            producer.flush();
        }
        return tombstones.size();
    }
}
