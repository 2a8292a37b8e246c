package io.siphon.cli.terminal;

import java.time.Duration;
import java.util.Locale;

/** How numbers, durations and rates are written for people: {@code 1,000,000}, {@code 8.4s}. */
public final class Units {

    private Units() {}

    /** A count with thousands separators. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1 table}, {@code 2 tables}: a count and a noun that takes a plain -s plural. */
    public static String plural(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** Rows per second over a duration; 0 when no time has passed. */
    public static long perSecond(long rows, Duration elapsed) {
        long micros = elapsed.toNanos() / 1_000;
        return micros <= 0 ? 0 : Math.round(rows * 1_000_000.0 / micros);
    }

    /** {@code 0.8s}, {@code 42.0s}, {@code 3m 05s}, {@code 1h 02m}. */
    public static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** {@code mm:ss}, or {@code h:mm:ss} past an hour: a running clock. */
    public static String clock(Duration d) {
        long s = d.toSeconds();
        if (s < 3600) {
            return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** {@code 512 B}, {@code 1.5 KB}, {@code 42.0 MB}, {@code 1.2 GB}: sizes in powers of 1024. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Whole percent of done in total, at most 100; 100 when the total is 0. */
    public static int percent(long done, long total) {
        if (total <= 0) {
            return 100;
        }
        return (int) Math.min(100, done * 100 / total);
    }
}
