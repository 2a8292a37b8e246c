package io.siphon.engine.state;

import io.siphon.model.TableId;
import java.time.Instant;

/**
 * A copy of one table made while the pipeline streams (a per-table re-snapshot), as stored.
 *
 * @param id its number, unique in the state store
 * @param pipeline the pipeline
 * @param table the source table
 * @param reason why it was asked for (a user's request, a table rewrite at the source)
 * @param status where it stands
 * @param snapshotId the snapshot its chunks are stored under; 0 before they are planned
 * @param requestedAt when it was asked for
 * @param finishedAt when it ended, or null
 * @param message why it failed, or null
 */
public record TableCopyRecord(
        long id,
        String pipeline,
        TableId table,
        String reason,
        TableCopyStatus status,
        long snapshotId,
        Instant requestedAt,
        Instant finishedAt,
        String message) {}
