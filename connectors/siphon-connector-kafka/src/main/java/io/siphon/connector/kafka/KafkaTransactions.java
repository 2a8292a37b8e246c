package io.siphon.connector.kafka;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What {@code delivery: exactly-once} needs of the brokers and of the pipeline, and the errors that
 * say what is missing and how to fix it.
 */
final class KafkaTransactions {

    private KafkaTransactions() {}

    /**
     * The transactional id of a pipeline's writer slot: stable across runs, so that the next run's
     * writer in the slot fences the producer of the last one.
     */
    static String transactionalId(KafkaSettings settings, String pipeline, int writer) {
        return settings.prefix() + "." + pipeline + "." + writer;
    }

    /**
     * A checkpoint's transaction stays open for about a checkpoint interval (from the first record
     * after a commit to the next commit), and longer while the brokers are slow: the brokers must
     * not abort it first.
     */
    static List<Problem> checkpointProblems(KafkaSettings settings, Duration checkpointInterval) {
        Duration timeout = settings.delivery().transactionTimeout();
        if (!settings.delivery().exactlyOnce()
                || timeout.compareTo(checkpointInterval.multipliedBy(2)) >= 0) {
            return List.of();
        }
        return List.of(
                new Problem(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "the Kafka sink's transaction-timeout ("
                                + timeout.toMillis()
                                + " ms) is shorter than twice the pipeline's checkpoint-interval ("
                                + checkpointInterval.toMillis()
                                + " ms): with delivery: exactly-once a transaction stays open from"
                                + " one checkpoint to the next, and the brokers would abort it",
                        "set the sink's transaction-timeout to at least "
                                + checkpointInterval.multipliedBy(2).toMillis()
                                + "ms (within the brokers' transaction.max.timeout.ms), or"
                                + " shorten checkpoint-interval"));
    }

    /**
     * Opens and closes a transactional producer under a probe id, which is what every exactly-once
     * writer does first; the problem with its fix when the brokers refuse.
     */
    static List<Problem> probe(KafkaSettings settings) {
        String id = settings.prefix() + ".siphon-check";
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings.producerSettings(id))) {
            producer.initTransactions();
            return List.of();
        } catch (RuntimeException e) {
            SiphonException error = notAvailable(settings, id, e);
            return List.of(new Problem(error.code(), error.getMessage(), fixOf(e)));
        }
    }

    /** The error of a transactional producer that could not start. */
    static SiphonException notAvailable(KafkaSettings settings, String id, RuntimeException e) {
        ErrorCode code =
                has(e, TransactionalIdAuthorizationException.class)
                        ? ErrorCode.PERMISSION_DENIED
                        : has(e, org.apache.kafka.common.errors.TimeoutException.class)
                                ? ErrorCode.CONNECTION_FAILED
                                : ErrorCode.SERVER_SETTING;
        return new SiphonException(
                code,
                "Kafka at "
                        + settings.bootstrapServers()
                        + " did not start a transaction for transactional id "
                        + id
                        + " (delivery: exactly-once): "
                        + e.getMessage()
                        + "; "
                        + fixOf(e),
                e);
    }

    private static String fixOf(RuntimeException e) {
        if (has(e, TransactionalIdAuthorizationException.class)) {
            return "grant the sink's user WRITE and DESCRIBE on the transactional ids starting with"
                    + " the topic prefix, or use delivery: at-least-once";
        }
        // Kafka 4.1's client reports the broker's INVALID_TRANSACTION_TIMEOUT as an untyped
        // KafkaException with the broker's message.
        if (has(e, InvalidTxnTimeoutException.class) || mentions(e, "transaction.max.timeout.ms")) {
            return "lower the sink's transaction-timeout to at most the brokers'"
                    + " transaction.max.timeout.ms";
        }
        if (has(e, UnsupportedVersionException.class)) {
            return "the brokers do not support transactions (Kafka 0.11 or newer does): use"
                    + " delivery: at-least-once";
        }
        return "the brokers' transaction coordinator did not answer: check that"
                + " transaction.state.log.replication.factor and transaction.state.log.min.isr"
                + " are at most the number of brokers, or use delivery: at-least-once";
    }

    /** Whether a producer error says that another producer took over its transactional id. */
    static boolean fenced(Throwable e) {
        return has(e, ProducerFencedException.class) || has(e, InvalidProducerEpochException.class);
    }

    /** Whether the message of the error or of one of its causes contains a text. */
    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the error or one of its causes is of a type (the client wraps what brokers say). */
    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The error of a writer that was fenced. */
    static SiphonException fencedError(KafkaSettings settings, String id, Exception e) {
        return new SiphonException(
                ErrorCode.SINK_WRITE_FAILED,
                "Another producer with transactional id "
                        + id
                        + " started at Kafka "
                        + settings.bootstrapServers()
                        + " and fenced this one: another run of the same pipeline writes to these"
                        + " brokers; stop it (a pipeline runs once per Kafka cluster and topic"
                        + " prefix)",
                e);
    }
}
