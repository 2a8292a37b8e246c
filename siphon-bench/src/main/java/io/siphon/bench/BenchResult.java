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
 */
public record BenchResult(long rows, Duration nativeTime, Duration siphonTime) {

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
        return String.format(
                Locale.ROOT,
                "{\"bench\":\"snapshot-pg\",\"rows\":%d,\"native_rows_per_s\":%d,"
                        + "\"siphon_rows_per_s\":%d,\"ratio\":%.3f}",
                rows,
                nativeRowsPerSecond(),
                siphonRowsPerSecond(),
                ratio());
    }

    private long perSecond(Duration d) {
        return Math.round(rows * 1e9 / Math.max(1, d.toNanos()));
    }
}
