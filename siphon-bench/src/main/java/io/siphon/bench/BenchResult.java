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
 * @param transforms the operators of the runs with transforms; empty when there was none
 * @param transformsLegs the timed copies with and without {@code transforms}; null when none ran
 */
public record BenchResult(
        long rows,
        Duration nativeTime,
        Duration siphonTime,
        java.util.List<String> transforms,
        TransformsLegs transformsLegs) {

    /**
     * The copies timed to compare the operators' cost, after an untimed warm-up of both.
     *
     * @param without wall time of the copies without operators, summed over the rounds
     * @param with wall time of the copies through the operators, summed over the rounds
     * @param rounds how many copies of each were timed (in alternating order)
     */
    public record TransformsLegs(Duration without, Duration with, int rounds) {}

    /** Copies the list. */
    public BenchResult {
        transforms = java.util.List.copyOf(transforms);
    }

    /** A result without a run with transforms. */
    public BenchResult(long rows, Duration nativeTime, Duration siphonTime) {
        this(rows, nativeTime, siphonTime, java.util.List.of(), null);
    }

    /** The rate with transforms over the rate without, over every round: 1.0 is free operators. */
    public double transformsRatio() {
        return (double) transformsLegs.without().toNanos() / transformsLegs.with().toNanos();
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
        if (transformsLegs == null) {
            return base + "}";
        }
        return base
                + String.format(
                        Locale.ROOT,
                        ",\"transforms\":\"%s\",\"transforms_rows_per_s\":%d,"
                                + "\"transforms_ratio\":%.3f,\"transforms_rounds\":%d}",
                        String.join(",", transforms),
                        perSecond(transformsLegs.with().dividedBy(transformsLegs.rounds())),
                        transformsRatio(),
                        transformsLegs.rounds());
    }

    private long perSecond(Duration d) {
        return Math.round(rows * 1e9 / Math.max(1, d.toNanos()));
    }
}
