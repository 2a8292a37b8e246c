package io.siphon.testkit.kafka;

import io.siphon.embedded.KafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one in-JVM Kafka broker (KRaft, on a free loopback port) for a test class and stops it,
 * removing its log, after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
 *
 * @Test void writesRecords() { String servers = KAFKA.broker().bootstrapServers(); ... }
 * }</pre>
 *
 * Tests isolate themselves with their own topic names.
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The broker of the test class. */
    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the Kafka broker runs only during the test class");
        }
        return broker;
    }
}
