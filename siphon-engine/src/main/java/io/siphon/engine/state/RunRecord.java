package io.siphon.engine.state;

import java.time.Instant;

/**
 * One run of a pipeline.
 *
 * @param id the run's number, unique in the state store
 * @param pipeline the pipeline
 * @param snapshotId the snapshot the run works on
 * @param status RUNNING, COMPLETED, STOPPED or FAILED (RUNNING after a crash)
 * @param startedAt when it started
 * @param endedAt when it ended, or null
 * @param errorCode the error code when it failed, or null
 * @param errorMessage the error message when it failed, or null
 */
public record RunRecord(
        long id,
        String pipeline,
        long snapshotId,
        String status,
        Instant startedAt,
        Instant endedAt,
        String errorCode,
        String errorMessage) {}
