package io.siphon.cli.terminal;

import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.TableProgress;
import io.siphon.model.TableId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Progress as plain lines, for output that is not a terminal: a line when the phase changes, one
 * when a table is done, and a summary line every few seconds. Each line starts with the run's
 * clock, so a CI log shows where time went.
 */
final class PlainProgress implements ProgressDisplay {

    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter out;
    private final ProgressView view;
    private final RowRates rates;
    private final RateMeter rate = new RateMeter(TimeUnit.SECONDS.toNanos(10));
    private final Set<TableId> reported = new HashSet<>();
    private RunPhase phase;
    private Duration nextReport = INTERVAL;
    private String lastChanges = "";

    PlainProgress(PrintWriter out, RowRates rates) {
        this.out = out;
        this.rates = rates;
        this.view = new ProgressView(Terminal.PLAIN, rates);
    }

    /** Lines every few seconds: a snapshot a second is enough to see a table finish in time. */
    @Override
    public long refreshMillis() {
        return 1000;
    }

    @Override
    public void update(RunProgress progress) {
        long rowsPerSecond =
                rate.record(System.nanoTime(), ProgressView.Totals.of(progress).rowsWritten());
        String clock = "[" + Units.clock(progress.elapsed()) + "] ";
        for (TableProgress t : progress.tables()) {
            if (t.done() && reported.add(t.source())) {
                if (t.chunksTotal() == 0) {
                    // Copied by an earlier run: this run only streams it.
                    out.println(clock + ProgressView.name(t) + " (resumed)");
                    continue;
                }
                out.println(
                        clock
                                + "done "
                                + ProgressView.name(t)
                                + ": "
                                + Units.count(t.rowsWritten())
                                + " rows in "
                                + Units.duration(t.elapsed())
                                + " ("
                                + Units.count(rates.perSecond(t))
                                + " rows/s)"
                                + (t.resumed() ? ", resumed" : ""));
            }
        }
        // After the tables, so that "completed" comes last.
        if (progress.phase() != phase) {
            phase = progress.phase();
            out.println(
                    clock
                            + ProgressView.phase(phase)
                            + (phase == RunPhase.SNAPSHOTTING ? tablesAndChunks(progress) : ""));
        }
        if (progress.elapsed().compareTo(nextReport) >= 0) {
            nextReport = progress.elapsed().plus(INTERVAL);
            if (phase == RunPhase.SNAPSHOTTING) {
                out.println(clock + view.totals(progress, rowsPerSecond));
            } else if (phase == RunPhase.STREAMING && progress.stream() != null) {
                // Only what moved: an idle stream prints nothing, rather than zeros every few
                // seconds into a log that runs for months.
                String changes = changesByTable(progress);
                if (!changes.equals(lastChanges) || progress.stream().eventsPerSecond() > 0) {
                    out.println(clock + ProgressView.streamLine(progress.stream()));
                    if (!changes.isEmpty()) {
                        out.println(clock + "changes " + changes);
                    }
                    lastChanges = changes;
                }
            }
        }
        out.flush();
    }

    @Override
    public void finish(RunProgress progress) {
        update(progress);
    }

    /**
     * {@code public.orders 12 inserts, 3 updates, ...; public.items ...}: the tables that had
     * changes; empty when none had.
     */
    private static String changesByTable(RunProgress p) {
        StringBuilder line = new StringBuilder();
        for (TableProgress t : p.tables()) {
            if (t.events().values().stream().allMatch(n -> n == 0)) {
                continue;
            }
            if (!line.isEmpty()) {
                line.append("; ");
            }
            line.append(ProgressView.name(t)).append(' ').append(ProgressView.changes(t.events()));
        }
        return line.toString();
    }

    private static String tablesAndChunks(RunProgress p) {
        ProgressView.Totals totals = ProgressView.Totals.of(p);
        return " ("
                + Units.plural(totals.tables(), "table")
                + ", "
                + Units.plural(totals.chunks(), "chunk")
                + ")";
    }
}
