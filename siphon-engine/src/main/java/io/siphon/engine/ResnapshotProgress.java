package io.siphon.engine;

/**
 * A table being copied again while the pipeline streams (a per-table re-snapshot).
 *
 * @param reason why: {@code requested} by a user, or the table {@code rewritten} at the source
 * @param status {@code REQUESTED}, {@code PLANNED} or {@code COPYING}
 * @param chunksTotal chunks planned; 0 before planning
 * @param chunksDone chunks durably written at the target
 */
public record ResnapshotProgress(String reason, String status, int chunksTotal, int chunksDone) {

    /** The share of chunks done, 0 to 1. */
    public double fraction() {
        return chunksTotal == 0 ? 0 : (double) chunksDone / chunksTotal;
    }
}
