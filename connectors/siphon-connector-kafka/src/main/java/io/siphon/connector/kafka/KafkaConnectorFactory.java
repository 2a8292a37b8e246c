package io.siphon.connector.kafka;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StandardOptions;
import java.util.List;

/** The {@code kafka} connector: found by {@link java.util.ServiceLoader}. */
public final class KafkaConnectorFactory implements ConnectorFactory {

    /** The type name in pipeline specs. */
    public static final String TYPE = "kafka";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Apache Kafka: a sink writing each table's changes to a topic in Debezium's change"
                + " event format, and a stream source reading them back";
    }

    @Override
    public List<Option<?>> options() {
        return KafkaOptions.ALL;
    }

    /** The encodings and topic names; never where the brokers are or how to sign in. */
    @Override
    public List<Option<?>> pipelineOptions() {
        return List.of(
                StandardOptions.TABLES,
                StandardOptions.EXCLUDE_TABLES,
                KafkaOptions.GROUP_ID,
                KafkaOptions.READERS,
                KafkaOptions.TOPIC_PREFIX,
                KafkaOptions.TOPIC,
                KafkaOptions.SCHEMA_CHANGE_TOPIC,
                KafkaOptions.FORMAT,
                KafkaOptions.SCHEMAS,
                KafkaOptions.TOMBSTONES,
                KafkaOptions.DECIMAL_HANDLING,
                KafkaOptions.TIME_PRECISION,
                KafkaOptions.COMPRESSION,
                KafkaOptions.PARTITIONS,
                KafkaOptions.LINGER,
                KafkaOptions.DELIVERY,
                KafkaOptions.TRANSACTION_TIMEOUT,
                KafkaOptions.POSITIONS_TOPIC);
    }

    @Override
    public Connector create(Config config) {
        int readers = config.get(KafkaOptions.READERS);
        if (readers < 1) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'readers' is " + readers + " but must be 1 or more");
        }
        return new KafkaConnector(
                new KafkaSettings(config), config.get(KafkaOptions.GROUP_ID), readers);
    }
}
