package io.siphon.server.pipeline;

import java.util.Map;

/**
 * A pipeline as stored: the spec as the user wrote it (connections by name, no secrets), and what
 * the server reads from it.
 *
 * @param name the pipeline's name
 * @param spec the spec as given, as a JSON-like tree
 * @param sourceConnection the name of the source connection
 * @param sinkConnection the name of the sink connection
 * @param restart what to do when it fails
 */
public record PipelineDefinition(
        String name,
        Map<String, Object> spec,
        String sourceConnection,
        String sinkConnection,
        RestartPolicy restart) {}
