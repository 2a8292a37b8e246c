package io.siphon.connector.kafka;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorBehavior;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SinkConformanceSuite;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.kafka.TopicReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink conformance suite, as far as it applies to a log, with {@code delivery: exactly-once}
 * (transactions; a writer opened for a pipeline records what it committed in the positions topic
 * and skips it on a replay). A topic is read back, with {@code read_committed}, as a consumer that
 * keeps the last value per key would see it (Debezium events decoded with {@link RecordDecoder}:
 * {@code c}, {@code u}, {@code r} set a key's row, {@code d} removes it, {@code t} empties the
 * table; a table without a key is kept as a bag of whole rows). A "database" is a topic prefix.
 *
 * <p>Not applicable, and so skipped by the suite: a renamed column (the records before the rename
 * keep the old name: a log is not rewritten), a bulk-load fast path (there is none). The
 * at-least-once writer is covered by {@link KafkaSinkIT} and {@link PostgresToKafkaIT}.
 */
class KafkaSinkConformanceIT extends SinkConformanceSuite {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final ConnectorUnderTest underTest =
            new ConnectorUnderTest() {
                @Override
                public EmbeddedServer server() {
                    throw new IllegalStateException("a Kafka broker is not an SQL server");
                }

                @Override
                public String createDatabase(String prefix) {
                    return prefix + "_" + PREFIXES.incrementAndGet();
                }

                @Override
                public Connector connector(String database) {
                    return KafkaConnectors.connector(
                            KAFKA.broker().bootstrapServers(),
                            Map.of("topic-prefix", database, "delivery", "exactly-once"));
                }

                @Override
                public String schemaOf(String database) {
                    return "public";
                }

                @Override
                public String nativeType(DataType type) {
                    throw new IllegalStateException("a Kafka topic has no column types");
                }

                @Override
                public boolean hasBehavior(ConnectorBehavior behavior) {
                    return switch (behavior) {
                        case RENAME_COLUMN -> false;
                        default -> true;
                    };
                }
            };

    @Override
    protected ConnectorUnderTest underTest() {
        return underTest;
    }

    /** The table as a consumer keeping the last value per key sees its topic. */
    @Override
    protected List<Row> readBack(Connector connector, TableSchema table) {
        String prefix = ((KafkaConnector) connector).settings().prefix();
        String topic = prefix + "." + table.id().schema() + "." + table.id().table();
        RecordDecoder decoder =
                new RecordDecoder(
                        new Encoding(true, Encoding.Decimals.PRECISE, Encoding.Times.ADAPTIVE));
        Map<String, Row> byKey = new LinkedHashMap<>();
        List<Row> keyless = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(KAFKA.broker().bootstrapServers(), topic, "read_committed")) {
            if (r.value() == null) {
                continue;
            }
            RecordDecoder.Decoded event = decoder.envelope(r.value(), table);
            if (event.op().equals("t")) {
                byKey.clear();
                keyless.clear();
            } else if (r.key() == null) {
                if (event.before() != null) {
                    keyless.remove(event.before());
                }
                if (event.after() != null) {
                    keyless.add(event.after());
                }
            } else {
                String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (event.after() == null) {
                    byKey.remove(key);
                } else {
                    byKey.put(key, event.after());
                }
            }
        }
        List<Row> rows = new ArrayList<>(byKey.values());
        rows.addAll(keyless);
        return rows;
    }
}
