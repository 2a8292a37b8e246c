package io.siphon.connector.kafka;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kafka connectors configured for tests: short timeouts, records sent at once. */
final class KafkaConnectors {

    private KafkaConnectors() {}

    /** The raw options of a test connector to these brokers, with {@code extra} over them. */
    static Map<String, Object> options(String servers, Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("bootstrap-servers", servers);
        raw.put("timeout", "10s");
        raw.put("linger", "0ms");
        raw.putAll(extra);
        return raw;
    }

    static Connector connector(String servers, Map<String, Object> extra) {
        KafkaConnectorFactory factory = new KafkaConnectorFactory();
        return factory.create(Config.of(options(servers, extra), factory.options(), List.of()));
    }
}
