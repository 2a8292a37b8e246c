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
import io.siphon.spi.Usage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A connection to a Kafka cluster; a sink. */
final class KafkaConnector implements Connector {

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
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SINK, Capability.SCHEMA_CHANGES);
    }

    /** Asks the brokers for their topics: they answer, and the user may see them. */
    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        if (usage != Usage.SINK) {
            return List.of(
                    new Problem(
                            ErrorCode.CAPABILITY_MISSING,
                            "The kafka connector is a sink only",
                            "Use kafka as the pipeline's sink"));
        }
        try {
            topics.names();
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

    /** A sink has no tables to discover: its topics are logs, named by the topic rule. */
    @Override
    public List<TableSchema> discover(TableFilter filter) {
        return List.of();
    }

    @Override
    public SnapshotSource snapshotSource() {
        throw new SiphonException(
                ErrorCode.CAPABILITY_MISSING, "The kafka connector is a sink only");
    }

    @Override
    public StreamSource streamSource() {
        throw new SiphonException(
                ErrorCode.CAPABILITY_MISSING, "The kafka connector is a sink only");
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
