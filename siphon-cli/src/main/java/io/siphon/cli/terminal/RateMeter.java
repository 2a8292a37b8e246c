package io.siphon.cli.terminal;

import java.util.ArrayDeque;

/**
 * The current rate of a growing count, over a sliding window of recent samples: what a progress
 * line shows as "rows/s" (the average since the start would hide a stall).
 */
final class RateMeter {

    private record Sample(long nanos, long count) {}

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateMeter(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Records the count at a moment and returns the rate per second over the window. */
    long record(long nanos, long count) {
        samples.addLast(new Sample(nanos, count));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        long dt = nanos - first.nanos();
        return dt <= 0 ? 0 : Math.round((count - first.count()) * 1e9 / dt);
    }
}
