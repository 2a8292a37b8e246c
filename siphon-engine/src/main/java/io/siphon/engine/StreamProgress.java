package io.siphon.engine;

/**
 * Where a streaming run is.
 *
 * @param sourcePosition the position up to which changes have been read, in the source's form (for
 *     PostgreSQL an LSN); null before the first read
 * @param acknowledgedPosition the position up to which changes are durable at the target and
 *     stored; null before the first checkpoint
 * @param eventsPerSecond changes read per second over the last seconds
 * @param latencyP50Millis median time from commit at the source to commit at the target; -1 before
 *     the first change
 * @param latencyP99Millis 99th percentile of the same; -1 before the first change
 * @param backlogBytes how much source log the stream has not acknowledged yet (PostgreSQL: slot lag
 *     in bytes); -1 when the source does not tell
 */
public record StreamProgress(
        String sourcePosition,
        String acknowledgedPosition,
        double eventsPerSecond,
        long latencyP50Millis,
        long latencyP99Millis,
        long backlogBytes) {}
