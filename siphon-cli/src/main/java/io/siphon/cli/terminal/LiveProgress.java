package io.siphon.cli.terminal;

import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Progress redrawn in place with ANSI cursor moves: one headline and one line per table. Log
 * warnings that arrive meanwhile are printed above the block (see {@link TerminalLogAppender}), so
 * they neither scroll away the block nor get overwritten by it.
 */
final class LiveProgress implements ProgressDisplay {

    private static final String HIDE_CURSOR = "\033[?25l";
    private static final String SHOW_CURSOR = "\033[?25h";
    // Without wrapping, a line wider than the terminal is cut instead of taking two rows, so
    // moving the cursor up by the number of lines drawn always lands on the first one.
    private static final String WRAP_OFF = "\033[?7l";
    private static final String WRAP_ON = "\033[?7h";
    private static final String CLEAR_LINE_END = "\033[K";
    private static final String CLEAR_SCREEN_END = "\033[J";

    private final PrintWriter out;
    private final ProgressView view;
    private final RateMeter rate = new RateMeter(TimeUnit.SECONDS.toNanos(3));
    private List<String> drawn = List.of();

    LiveProgress(Terminal terminal, PrintWriter out, RowRates rates) {
        this.out = out;
        this.view = new ProgressView(terminal, rates);
        out.print(HIDE_CURSOR + WRAP_OFF);
        out.flush();
        TerminalLogAppender.divertTo(this::printAbove);
    }

    /** Redrawn in place five times a second, so the numbers move smoothly. */
    @Override
    public long refreshMillis() {
        return 200;
    }

    @Override
    public synchronized void update(RunProgress progress) {
        long rowsPerSecond =
                rate.record(System.nanoTime(), ProgressView.Totals.of(progress).rowsWritten());
        List<String> lines = new ArrayList<>();
        lines.add(view.headline(progress, rowsPerSecond));
        if (progress.stream() != null && progress.phase() == RunPhase.STREAMING) {
            lines.add(ProgressView.streamLine(progress.stream()));
        }
        lines.addAll(view.tableLines(progress.tables()));
        redraw(lines);
    }

    @Override
    public synchronized void finish(RunProgress progress) {
        TerminalLogAppender.restore();
        update(progress);
        out.print(SHOW_CURSOR + WRAP_ON);
        out.flush();
    }

    private synchronized void printAbove(String text) {
        List<String> lines = drawn;
        redraw(List.of());
        System.err.print(text);
        System.err.flush();
        redraw(lines);
    }

    private void redraw(List<String> lines) {
        StringBuilder frame = new StringBuilder();
        if (!drawn.isEmpty()) {
            frame.append("\033[").append(drawn.size()).append('F');
        }
        for (String line : lines) {
            frame.append(line).append(CLEAR_LINE_END).append('\n');
        }
        frame.append(CLEAR_SCREEN_END);
        out.print(frame);
        out.flush();
        drawn = List.copyOf(lines);
    }
}
