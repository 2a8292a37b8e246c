package io.siphon.server.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * A pipeline as the API shows it.
 *
 * @param name its name
 * @param state where it is
 * @param desiredState {@code RUNNING} when it should run (and is started again after a server
 *     restart), otherwise {@code STOPPED}
 * @param spec the spec as given
 * @param createdAt when it was created
 * @param updatedAt when its spec or state last changed
 * @param createdBy who created it
 * @param lastError the error that stopped its last run, or null
 */
public record PipelineView(
        String name,
        PipelineState state,
        String desiredState,
        Map<String, Object> spec,
        Instant createdAt,
        Instant updatedAt,
        String createdBy,
        ErrorView lastError) {}
