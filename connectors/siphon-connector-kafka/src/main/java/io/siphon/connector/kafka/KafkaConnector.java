package io.siphon.connector.kafka;

import io.siphon.connector.support.SinkOnlyConnector;
import io.siphon.spi.Capability;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A connection to a Kafka cluster; a sink. */
final class KafkaConnector implements SinkOnlyConnector {

    private final KafkaSettings settings;
    private final Topics topics;

    KafkaConnector(KafkaSettings settings) {
        this.settings = settings;
        this.topics = new Topics(settings);
    }

    /** The connector's settings. */
    KafkaSettings settings() {
        return settings;
    }

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SINK, Capability.SCHEMA_CHANGES);
    }

    /**
     * Asks the brokers for their topics: they answer, and the user may see them; with {@code
     * delivery: exactly-once}, starts a transactional producer, as each writer will.
     */
    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        List<Problem> wrongSide = usageProblems(usage);
        if (!wrongSide.isEmpty()) {
            return wrongSide;
        }
        try {
            topics.names();
            return settings.delivery().exactlyOnce()
                    ? KafkaTransactions.probe(settings)
                    : List.of();
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

    @Override
    public Sink sink() {
        return new KafkaSink(settings, topics);
    }

    @Override
    public void close() {
        topics.close();
    }
}
