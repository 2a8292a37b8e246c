package io.siphon.connector.kafka;

import io.siphon.model.TableId;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The connector's options, read once and checked together: topic naming, the envelope's encodings
 * and the client settings derived from them.
 *
 * @param bootstrapServers where the brokers are
 * @param prefix {@link KafkaOptions#TOPIC_PREFIX}
 * @param topicRule {@link KafkaOptions#TOPIC}
 * @param schemaChangeTopic the schema change topic's name, prefix applied
 * @param rows whether records hold plain rows rather than the Debezium envelope
 * @param encoding how values are encoded
 * @param tombstones whether deletes are followed by a tombstone
 * @param compression the producer's compression type
 * @param partitions partitions of a created topic
 * @param linger the producer's linger
 * @param timeout how long to wait for the brokers
 * @param clientProperties further client settings
 * @param delivery at least once, or exactly once and how
 */
public record KafkaSettings(
        String bootstrapServers,
        String prefix,
        String topicRule,
        String schemaChangeTopic,
        boolean rows,
        Encoding encoding,
        boolean tombstones,
        String compression,
        int partitions,
        Duration linger,
        Duration timeout,
        Map<String, String> clientProperties,
        Delivery delivery) {

    /**
     * How records are delivered.
     *
     * @param exactlyOnce whether writers use transactions committed at checkpoints ({@link
     *     KafkaOptions#DELIVERY})
     * @param transactionTimeout {@link KafkaOptions#TRANSACTION_TIMEOUT}
     * @param positionsTopic the positions topic's name, prefix applied ({@link
     *     KafkaOptions#POSITIONS_TOPIC})
     */
    public record Delivery(
            boolean exactlyOnce, Duration transactionTimeout, String positionsTopic) {}

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern ILLEGAL_CHAR = Pattern.compile("[^a-zA-Z0-9._-]");
    private static final int MAX_TOPIC_LENGTH = 249;

    /** Reads and checks the options. */
    public KafkaSettings(Config config) {
        this(
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                config.get(KafkaOptions.TOPIC_PREFIX),
                config.get(KafkaOptions.TOPIC),
                config.get(KafkaOptions.SCHEMA_CHANGE_TOPIC)
                        .replace("{prefix}", config.get(KafkaOptions.TOPIC_PREFIX)),
                "row".equals(config.get(KafkaOptions.FORMAT)),
                new Encoding(
                        config.get(KafkaOptions.SCHEMAS),
                        Encoding.Decimals.valueOf(
                                config.get(KafkaOptions.DECIMAL_HANDLING).toUpperCase()),
                        Encoding.Times.valueOf(
                                config.get(KafkaOptions.TIME_PRECISION).toUpperCase())),
                config.get(KafkaOptions.TOMBSTONES),
                config.get(KafkaOptions.COMPRESSION),
                config.get(KafkaOptions.PARTITIONS),
                config.get(KafkaOptions.LINGER),
                config.get(KafkaOptions.TIMEOUT),
                config.get(KafkaOptions.CLIENT_PROPERTIES),
                new Delivery(
                        "exactly-once".equals(config.get(KafkaOptions.DELIVERY)),
                        config.get(KafkaOptions.TRANSACTION_TIMEOUT),
                        config.get(KafkaOptions.POSITIONS_TOPIC)
                                .replace("{prefix}", config.get(KafkaOptions.TOPIC_PREFIX))));
    }

    /** Checks the names and numbers. */
    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
        if (bootstrapServers.isBlank()) {
            throw invalid("'bootstrap-servers' is empty: name at least one broker as host:port");
        }
        if (!LEGAL.matcher(prefix).matches()) {
            throw invalid(
                    "'topic-prefix' is '"
                            + prefix
                            + "' but may hold only letters, digits, '.', '_' and '-'");
        }
        if (!topicRule.contains("{table}")) {
            throw invalid(
                    "'topic' is '"
                            + topicRule
                            + "' but must contain {table}, or every table would share one topic");
        }
        if (!LEGAL.matcher(schemaChangeTopic).matches()) {
            throw invalid(
                    "'schema-change-topic' is '"
                            + schemaChangeTopic
                            + "' but may hold only letters, digits, '.', '_' and '-'");
        }
        if (!LEGAL.matcher(delivery.positionsTopic()).matches()) {
            throw invalid(
                    "'positions-topic' is '"
                            + delivery.positionsTopic()
                            + "' but may hold only letters, digits, '.', '_' and '-'");
        }
        if (partitions < 1) {
            throw invalid("'partitions' is " + partitions + " but must be 1 or more");
        }
        for (String owned :
                new String[] {
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    ProducerConfig.ACKS_CONFIG,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG
                }) {
            if (clientProperties.containsKey(owned)) {
                throw invalid(
                        "'client-properties' sets "
                                + owned
                                + ", which the connector sets itself; remove it");
            }
        }
    }

    private static SiphonException invalid(String message) {
        return new SiphonException(ErrorCode.CONFIG_INVALID_VALUE, message);
    }

    /**
     * The topic of a target table: the rule with its placeholders filled, each character Kafka does
     * not allow in a name replaced by {@code _}, as Debezium does.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the name is longer than
     *     Kafka allows
     */
    public String topicOf(TableId table) {
        String name =
                topicRule
                        .replace("{prefix}", prefix)
                        .replace("{schema}", table.schema())
                        .replace("{table}", table.table());
        String topic = ILLEGAL_CHAR.matcher(name).replaceAll("_");
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw invalid(
                    "The topic of "
                            + table
                            + " would be "
                            + topic.length()
                            + " characters long, over Kafka's "
                            + MAX_TOPIC_LENGTH
                            + "; shorten 'topic' or 'topic-prefix'");
        }
        return topic;
    }

    /** Settings every client of this connector shares: brokers, timeouts, security. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>(clientProperties);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return settings;
    }

    /** The admin client's settings. */
    public Map<String, Object> adminSettings() {
        Map<String, Object> settings = clientSettings();
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return settings;
    }

    /**
     * The settings of a transactional producer: those of {@link #producerSettings()}, with the
     * transactional id that names the writer's slot and the transaction timeout.
     */
    public Map<String, Object> producerSettings(String transactionalId) {
        Map<String, Object> settings = producerSettings();
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        settings.put(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) delivery.transactionTimeout().toMillis());
        return settings;
    }

    /**
     * The producer's settings: idempotent (no duplicates or reordering from its own retries), every
     * in-sync replica acknowledging, the chosen compression and linger.
     */
    public Map<String, Object> producerSettings() {
        Map<String, Object> settings = clientSettings();
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        settings.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        settings.put(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Math.max(timeout.toMillis(), timeout.toMillis() + linger.toMillis()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
    }
}
