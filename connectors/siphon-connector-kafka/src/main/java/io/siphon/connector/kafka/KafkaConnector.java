package io.siphon.connector.kafka;

import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.StreamSource;
import io.siphon.spi.TableFilter;
import io.siphon.spi.TablePattern;
import io.siphon.spi.Usage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A connection to a Kafka cluster: a sink, and a stream source of the change events in its topics
 * (no snapshot: a topic's events since its beginning are the table's rows).
 */
final class KafkaConnector implements Connector {

    private final KafkaSettings settings;
    private final Topics topics;
    private final TopicCatalog catalog;
    private final String groupRule;
    private final int readers;

    KafkaConnector(KafkaSettings settings, String groupRule, int readers) {
        this.settings = settings;
        this.topics = new Topics(settings);
        this.catalog = new TopicCatalog(settings, topics);
        this.groupRule = groupRule;
        this.readers = readers;
    }

    /** The connector's settings. */
    KafkaSettings settings() {
        return settings;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SINK, Capability.SCHEMA_CHANGES, Capability.STREAM_SOURCE);
    }

    /**
     * Asks the brokers for their topics: they answer, and the user may see them; as a sink with
     * {@code delivery: exactly-once}, starts a transactional producer, as each writer will; as a
     * source, at least one topic must hold a table the pipeline takes.
     */
    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        try {
            if (usage == Usage.SINK) {
                topics.names();
                return settings.delivery().exactlyOnce()
                        ? KafkaTransactions.probe(settings)
                        : List.of();
            }
            if (catalog.topicsOf(tables).isEmpty()) {
                return List.of(
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "No topic at "
                                        + settings.bootstrapServers()
                                        + " holds a table of "
                                        + tables.include().stream().map(TablePattern::text).toList()
                                        + " by the topic rule '"
                                        + settings.topicRule()
                                        + "' with prefix '"
                                        + settings.prefix()
                                        + "'",
                                "Check 'topic-prefix', 'topic' and 'tables' against the topics"
                                        + " the brokers list"));
            }
            return List.of();
        } catch (SiphonException e) {
            return List.of(
                    new Problem(
                            e.code(),
                            e.getMessage(),
                            "Check that a broker listens at "
                                    + settings.bootstrapServers()
                                    + " and that 'client-properties' holds the security settings"
                                    + " it needs"));
        }
    }

    /** The tables held by the topics, each with the schema its newest change event carries. */
    @Override
    public List<TableSchema> discover(TableFilter filter) {
        return catalog.discover(filter);
    }

    @Override
    public SnapshotSource snapshotSource() {
        throw new SiphonException(
                ErrorCode.CAPABILITY_MISSING,
                "The kafka connector reads no snapshot; use it with mode: cdc, which reads each"
                        + " topic from its beginning");
    }

    @Override
    public StreamSource streamSource() {
        return new KafkaSource(settings, catalog, groupRule, readers);
    }

    @Override
    public Sink sink() {
        return new KafkaSink(settings, topics);
    }

    @Override
    public void close() {
        topics.close();
    }
}
