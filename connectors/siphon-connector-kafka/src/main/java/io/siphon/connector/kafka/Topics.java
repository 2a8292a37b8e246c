package io.siphon.connector.kafka;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
        if (names().contains(topic)) {
            return false;
        }
        try {
            admin().createTopics(
                            List.of(
                                    new NewTopic(
                                            topic,
                                            Optional.of(settings.partitions()),
                                            Optional.empty())))
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
