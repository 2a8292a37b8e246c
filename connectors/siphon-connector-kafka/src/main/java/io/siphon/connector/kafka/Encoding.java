package io.siphon.connector.kafka;

/**
 * How column values are written, as Debezium's options of the same meaning say.
 *
 * @param schemas whether each key and value carries its Kafka Connect schema
 * @param decimals Debezium's {@code decimal.handling.mode}
 * @param times Debezium's {@code time.precision.mode}
 */
public record Encoding(boolean schemas, Decimals decimals, Times times) {

    /** Debezium's {@code decimal.handling.mode}. */
    public enum Decimals {
        /** Kafka Connect's {@code Decimal}: the unscaled value's two's-complement bytes. */
        PRECISE,
        /** A 64-bit float. */
        DOUBLE,
        /** The plain decimal text. */
        STRING
    }

    /** Debezium's {@code time.precision.mode}. */
    public enum Times {
        /** Debezium's types, chosen by each column's precision. */
        ADAPTIVE,
        /** Kafka Connect's {@code Date}, {@code Time} and {@code Timestamp}, in milliseconds. */
        CONNECT
    }
}
