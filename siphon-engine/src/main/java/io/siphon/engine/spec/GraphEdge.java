package io.siphon.engine.spec;

import java.io.Serializable;
import java.util.Objects;

/**
 * An edge of a pipeline graph: rows of node {@code from} go to node {@code to}.
 *
 * @param from the id of the node the rows leave
 * @param to the id of the node they reach
 */
public record GraphEdge(String from, String to) implements Serializable {

    /** Checks the parts. */
    public GraphEdge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
