package io.siphon.engine.jet;

/**
 * Events per second over the last few whole seconds, from counts in one-second buckets. Written by
 * one thread, read by any.
 */
final class EventRate {

    private static final int WINDOW_SECONDS = 5;
    private static final int BUCKETS = WINDOW_SECONDS + 2;

    private final long[] counts = new long[BUCKETS];
    private final long[] seconds = new long[BUCKETS];

    synchronized void record(long n) {
        long second = System.nanoTime() / 1_000_000_000L;
        int i = (int) (second % BUCKETS);
        if (seconds[i] != second) {
            seconds[i] = second;
            counts[i] = 0;
        }
        counts[i] += n;
    }

    synchronized double perSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            // Whole seconds only: the current one is still filling.
            if (seconds[i] < now && seconds[i] >= now - WINDOW_SECONDS) {
                sum += counts[i];
            }
        }
        return sum / (double) WINDOW_SECONDS;
    }
}
