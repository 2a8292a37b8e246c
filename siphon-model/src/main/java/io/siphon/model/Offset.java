package io.siphon.model;

import java.io.Serializable;

/**
 * A position in a source, owned by the connector that produced it (an LSN, a binlog file and
 * position, Kafka partition offsets). The engine stores offsets opaquely through the connector's
 * codec and hands them back on restart; it never looks inside.
 */
public interface Offset extends Serializable {

    /** A short human-readable form for status output, for example {@code 0/16B3748}. */
    String describe();
}
