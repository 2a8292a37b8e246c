package io.siphon.engine.jet;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts latencies in milliseconds in buckets that grow by about 10% each, so percentiles are
 * within 10% of the truth in constant memory and without locks.
 */
final class LatencyHistogram {

    private static final int BUCKETS = 200;
    private static final double GROWTH = 1.1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long millis) {
        counts.incrementAndGet(bucket(Math.max(0, millis)));
    }

    /** The upper bound of the bucket holding the p-th percentile, or -1 with no data. */
    long percentile(double p) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    static int bucket(long millis) {
        if (millis <= 1) {
            return (int) millis;
        }
        int b = 1 + (int) Math.ceil(Math.log(millis) / Math.log(GROWTH));
        return Math.min(b, BUCKETS - 1);
    }

    static long upperBound(int bucket) {
        if (bucket <= 1) {
            return bucket;
        }
        return (long) Math.floor(Math.pow(GROWTH, bucket - 1));
    }
}
