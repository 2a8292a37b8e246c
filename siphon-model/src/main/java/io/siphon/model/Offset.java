package io.siphon.model;

import java.io.Serializable;
import java.util.Map;

/**
 * A position in a source, owned by the connector that produced it (an LSN, a binlog file and
 * position, Kafka partition offsets). The engine stores offsets opaquely through the connector's
 * codec and hands them back on restart; it never looks inside.
 */
public interface Offset extends Serializable {

    /** A short human-readable form for status output, for example {@code 0/16B3748}. */
    String describe();

    /**
     * The position as the fields of a Debezium change event's {@code source} block, so that a sink
     * writing that envelope (Kafka) fills it as Debezium's connector for the same system would:
     * {@code connector} (Debezium's name of the system: {@code postgresql}, {@code mysql}) and the
     * position's own fields ({@code lsn}; {@code file}, {@code pos}, {@code gtid}, {@code
     * server_id}), values {@link String} or {@link Long}. Empty by default: the block then has no
     * position fields.
     */
    default Map<String, Object> sourceFields() {
        return Map.of();
    }
}
