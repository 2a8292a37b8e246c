package io.siphon.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of the CDC benchmark: the same backlog of changes drained by native logical
 * replication and by Siphon, each alone, both targets verified; and Siphon's commit-to-visible
 * latency at half the native drain rate.
 *
 * @param workload the workload's name
 * @param nativeEvents rows changed in the native backlog
 * @param nativeDrain time from enabling the subscription until the target had every change
 * @param siphonEvents rows changed in Siphon's backlog (the same transactions)
 * @param siphonDrain time from starting the pipeline until the target had every change
 * @param latencyEventsPerSecond the rate the latency phase achieved
 * @param p50Millis Siphon's median commit-to-visible latency at that rate
 * @param p99Millis the 99th percentile of the same
 */
public record CdcBenchResult(
        String workload,
        long nativeEvents,
        Duration nativeDrain,
        long siphonEvents,
        Duration siphonDrain,
        long latencyEventsPerSecond,
        long p50Millis,
        long p99Millis) {

    /** Rows changed per second drained by native logical replication. */
    public long nativeEventsPerSecond() {
        return perSecond(nativeEvents, nativeDrain);
    }

    /** Rows changed per second drained by Siphon. */
    public long siphonEventsPerSecond() {
        return perSecond(siphonEvents, siphonDrain);
    }

    /** Siphon's drain rate over the native one: 1.0 is as fast as the baseline. */
    public double ratio() {
        return (double) siphonEventsPerSecond() / Math.max(1, nativeEventsPerSecond());
    }

    /** The one-line JSON record that scripts read from the last line of the output. */
    public String json() {
        return String.format(
                Locale.ROOT,
                "{\"bench\":\"cdc-pg\",\"workload\":\"%s\",\"events\":%d,"
                        + "\"native_events_per_s\":%d,\"siphon_events_per_s\":%d,\"ratio\":%.3f,"
                        + "\"drain_s\":{\"native\":%.3f,\"siphon\":%.3f},"
                        + "\"latency_events_per_s\":%d,\"p50_ms\":%d,\"p99_ms\":%d}",
                workload,
                siphonEvents,
                nativeEventsPerSecond(),
                siphonEventsPerSecond(),
                ratio(),
                nativeDrain.toNanos() / 1e9,
                siphonDrain.toNanos() / 1e9,
                latencyEventsPerSecond,
                p50Millis,
                p99Millis);
    }

    private static long perSecond(long events, Duration d) {
        return Math.round(events * 1e9 / Math.max(1, d.toNanos()));
    }
}
