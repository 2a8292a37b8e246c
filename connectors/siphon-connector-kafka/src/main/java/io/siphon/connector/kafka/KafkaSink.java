package io.siphon.connector.kafka;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;
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

    @Override
    public SinkWriter openWriter() {
        return new KafkaSinkWriter(settings, json);
    }
}
