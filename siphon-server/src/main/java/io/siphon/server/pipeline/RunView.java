package io.siphon.server.pipeline;

import java.time.Instant;

/**
 * One run of a pipeline: from a start to its end.
 *
 * @param id the run's number
 * @param cause {@code USER} (started through the API), {@code RESUME} (the server started it again
 *     after its own restart) or {@code RESTART} (the restart policy)
 * @param startedBy who started it, for {@code USER}
 * @param startedAt when it started
 * @param endedAt when it ended; null while it runs
 * @param status {@code RUNNING}, {@code COMPLETED}, {@code STOPPED}, {@code FAILED}, or {@code
 *     INTERRUPTED} when the server died under it
 * @param rowsWritten rows written over all tables by the end of the run
 * @param events change events streamed during the run
 * @param errorCode the error code when it failed
 * @param errorMessage the error when it failed
 */
public record RunView(
        long id,
        String cause,
        String startedBy,
        Instant startedAt,
        Instant endedAt,
        String status,
        long rowsWritten,
        long events,
        String errorCode,
        String errorMessage) {}
