package io.siphon.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of the snapshot benchmark: the same rows copied by the native baseline and by Siphon,
 * both verified equal to the source.
 *
 * @param rows rows in the table
 * @param nativeTime wall time of the native COPY pipe, commit included
 * @param siphonTime wall time of the Siphon run, from its start to COMPLETED
 * @param transforms the operators of the second Siphon run; empty when there was none
 * @param transformsTime wall time of the Siphon run with {@code transforms}; null when none ran
 */
public record BenchResult(
        long rows,
        Duration nativeTime,
        Duration siphonTime,
        java.util.List<String> transforms,
        Duration transformsTime) {

    /** Copies the list. */
    public BenchResult {
        transforms = java.util.List.copyOf(transforms);
    }

    /** A result without a run with transforms. */
    public BenchResult(long rows, Duration nativeTime, Duration siphonTime) {
        this(rows, nativeTime, siphonTime, java.util.List.of(), null);
    }

    /** The rate with transforms over the rate without: 1.0 is free operators. */
    public double transformsRatio() {
        return (double) siphonTime.toNanos() / transformsTime.toNanos();
    }

    /** Rows per second of the native copy. */
    public long nativeRowsPerSecond() {
        return perSecond(nativeTime);
    }

    /** Rows per second of Siphon. */
    public long siphonRowsPerSecond() {
        return perSecond(siphonTime);
    }

    /** Siphon's rate over the native rate: 1.0 is as fast as the baseline. */
    public double ratio() {
        return (double) nativeTime.toNanos() / siphonTime.toNanos();
    }

    /** The one-line JSON record that scripts read from the last line of the output. */
    public String json() {
        String base =
                String.format(
                        Locale.ROOT,
                        "{\"bench\":\"snapshot-pg\",\"rows\":%d,\"native_rows_per_s\":%d,"
                                + "\"siphon_rows_per_s\":%d,\"ratio\":%.3f",
                        rows,
                        nativeRowsPerSecond(),
                        siphonRowsPerSecond(),
                        ratio());
        if (transformsTime == null) {
            return base + "}";
        }
        return base
                + String.format(
                        Locale.ROOT,
                        ",\"transforms\":\"%s\",\"transforms_rows_per_s\":%d,"
                                + "\"transforms_ratio\":%.3f}",
                        String.join(",", transforms),
                        perSecond(transformsTime),
                        transformsRatio());
    }

    private long perSecond(Duration d) {
        return Math.round(rows * 1e9 / Math.max(1, d.toNanos()));
    }
}
