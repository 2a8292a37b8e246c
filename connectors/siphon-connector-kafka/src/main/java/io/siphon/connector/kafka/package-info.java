/**
 * The Kafka connector: a sink that writes each table's changes to a topic in Debezium's change
 * event envelope (or as plain rows), keyed by primary key.
 */
package io.siphon.connector.kafka;
