/** The in-JVM Kafka broker for tests. */
package io.siphon.testkit.kafka;
