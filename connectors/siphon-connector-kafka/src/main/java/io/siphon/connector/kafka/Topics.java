package io.siphon.connector.kafka;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Topics at the brokers, through an admin client opened on first use and closed with the connector.
 * Driver thread.
 */
final class Topics implements AutoCloseable {

    private final KafkaSettings settings;
    private Admin admin;

    Topics(KafkaSettings settings) {
        this.settings = settings;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(settings.adminSettings());
        }
        return admin;
    }

    /** The topics at the brokers (internal ones left out). */
    Set<String> names() {
        try {
            return admin().listTopics()
                    .names()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    /**
     * Creates a topic with the configured partitions and the brokers' replication factor unless it
     * exists; returns whether it was created.
     */
    boolean ensure(String topic) {
        return create(new NewTopic(topic, Optional.of(settings.partitions()), Optional.empty()));
    }

    /**
     * Creates a compacted topic of one partition (the positions topic) unless it exists; returns
     * whether it was created.
     */
    boolean ensureCompacted(String topic) {
        return create(
                new NewTopic(topic, Optional.of(1), Optional.empty())
                        .configs(
                                java.util.Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    private boolean create(NewTopic newTopic) {
        String topic = newTopic.name();
        if (names().contains(topic)) {
            return false;
        }
        try {
            admin().createTopics(List.of(newTopic))
                    .all()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new SiphonException(
                    ErrorCode.SINK_WRITE_FAILED,
                    "Could not create topic "
                            + topic
                            + " at "
                            + settings.bootstrapServers()
                            + ": "
                            + e.getCause().getMessage()
                            + "; create it, or let the sink's user create topics",
                    e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    /**
     * The end offset of each partition of a topic, records of open transactions included: where a
     * {@code read_committed} reader has read everything committed so far once it gets there.
     */
    java.util.Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            List<TopicPartition> partitions =
                    admin()
                            .describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic)
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            java.util.Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            java.util.Map<TopicPartition, Long> end = new java.util.HashMap<>();
            admin().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((p, info) -> end.put(p, info.offset()));
            return end;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    /** The error for brokers that did not answer. */
    SiphonException unreachable(Exception e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        return new SiphonException(
                ErrorCode.CONNECTION_FAILED,
                "Could not reach Kafka at "
                        + settings.bootstrapServers()
                        + " within "
                        + settings.timeout().toSeconds()
                        + " s: "
                        + cause,
                cause);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
