package io.siphon.engine.spec;

import java.io.Serializable;
import java.util.Objects;

/**
 * One node of a pipeline graph ({@code nodes:} in the spec), named by its {@code id}.
 *
 * <p>The linear form's parts are nodes too: its source is {@code source}, its transforms {@code
 * #1}, {@code #2}... and its sink {@code sink}.
 */
public sealed interface GraphNode extends Serializable {

    /** The node's id: what edges and messages name it by. */
    String id();

    /** What the node is, as written in the spec: {@code source}, {@code sink}, or an operator. */
    String kind();

    /**
     * Where rows come from; has no input.
     *
     * @param id the node's id
     * @param source the connector and its options
     */
    record Source(String id, SourceSpec source) implements GraphNode {
        /** Checks the parts. */
        public Source {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String kind() {
            return "source";
        }
    }

    /**
     * Where rows go; has exactly one input and no output.
     *
     * @param id the node's id
     * @param sink the connector, its options and its table rule
     */
    record Sink(String id, SinkSpec sink) implements GraphNode {
        /** Checks the parts. */
        public Sink {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sink, "sink");
        }

        @Override
        public String kind() {
            return "sink";
        }
    }

    /**
     * An operator of the transform SPI; has exactly one input.
     *
     * @param id the node's id
     * @param transform the operator and its options, named by the node's id
     */
    record Operator(String id, TransformSpec transform) implements GraphNode {
        /** Checks the parts. */
        public Operator {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(transform, "transform");
        }

        @Override
        public String kind() {
            return transform.type();
        }
    }

    /**
     * Merges the rows of two or more inputs; the only node that may have more than one input.
     *
     * @param id the node's id
     * @param sourceColumn a text column to add that holds the source node's id and joins the key,
     *     so that equal keys from different sources stay different rows; null for none (equal keys
     *     are then one target row, the last write wins)
     */
    record Union(String id, String sourceColumn) implements GraphNode {
        /** Checks the parts. */
        public Union {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String kind() {
            return "union";
        }
    }
}
