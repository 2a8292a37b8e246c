package io.siphon.cli.terminal;

import io.siphon.engine.RunProgress;
import java.io.PrintWriter;

/**
 * Shows a run's progress while it runs: redrawn in place on an interactive terminal, as plain lines
 * every few seconds elsewhere (CI logs, pipes). Both are fed the same snapshots, several times a
 * second, from one thread.
 */
public sealed interface ProgressDisplay permits LiveProgress, PlainProgress, JsonProgress {

    /** The display that suits the terminal. */
    static ProgressDisplay on(Terminal terminal, PrintWriter out, RowRates rates) {
        return terminal.interactive()
                ? new LiveProgress(terminal, out, rates)
                : new PlainProgress(out, rates);
    }

    /** Shows the latest progress; called about every {@link #refreshMillis()}. */
    void update(RunProgress progress);

    /**
     * How often the display wants a fresh snapshot. Each snapshot looks at every table's counters
     * and the stream's latency histogram, so a display that prints only every few seconds (plain
     * lines) asks once a second rather than five times, which matters to an idle run.
     */
    long refreshMillis();

    /** Shows the final progress and hands the terminal back; called once, when the run ends. */
    void finish(RunProgress progress);
}
