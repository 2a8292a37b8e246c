package io.siphon.cli.terminal;

import io.siphon.engine.RunResult;
import io.siphon.engine.TableProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The table printed when a run ends: rows, time and rate per table, and the total. */
public final class RunSummary {

    private RunSummary() {}

    /**
     * table | rows | time | rows/s, with a total; rows are the table's, the rate is this run's.
     * After a run that streamed changes, a {@code changes} column counts them.
     */
    public static List<String> lines(RunResult result, RowRates rates) {
        boolean streamed = streamed(result);
        TextTable table =
                streamed
                        ? new TextTable("table", "rows", "time", "rows/s", "changes")
                        : new TextTable("table", "rows", "time", "rows/s");
        for (TableProgress t : result.tables()) {
            List<String> cells = cells(t, rates);
            if (streamed) {
                cells.add(Units.count(ProgressView.changeCount(t)));
            }
            table.row(cells.toArray(String[]::new));
        }
        List<String> totals = totals(result, rates);
        if (streamed) {
            totals.add(Units.count(changeCount(result)));
        }
        table.footer(totals.toArray(String[]::new));
        return table.lines();
    }

    /**
     * table | rows | time | rows/s | changes | verified, with a total; {@code verified} gives the
     * mark.
     */
    public static List<String> lines(
            RunResult result, RowRates rates, Function<TableProgress, String> verified) {
        TextTable table = new TextTable("table", "rows", "time", "rows/s", "changes", "verified");
        for (TableProgress t : result.tables()) {
            List<String> cells = cells(t, rates);
            cells.add(Units.count(ProgressView.changeCount(t)));
            cells.add(verified.apply(t));
            table.row(cells.toArray(String[]::new));
        }
        List<String> totals = totals(result, rates);
        totals.add(Units.count(changeCount(result)));
        totals.add("");
        table.footer(totals.toArray(String[]::new));
        return table.lines();
    }

    /** Changes streamed over all tables. */
    public static long changeCount(RunResult result) {
        return result.tables().stream().mapToLong(ProgressView::changeCount).sum();
    }

    private static boolean streamed(RunResult result) {
        return result.tables().stream().anyMatch(t -> !t.events().isEmpty());
    }

    /**
     * One line per failed table, for under the summary: {@code public.orders failed: DATA_INVALID},
     * with the error's message unless it is the run's own error, which is printed anyway.
     */
    public static List<String> failures(RunResult result) {
        List<String> out = new ArrayList<>();
        for (TableProgress t : result.tables()) {
            if (t.failed()) {
                boolean runError =
                        result.error() != null
                                && result.error().getMessage().equals(t.error().message());
                out.add(
                        ProgressView.name(t)
                                + " failed: "
                                + (runError ? t.error().code() : t.error()));
            }
        }
        return out;
    }

    private static List<String> cells(TableProgress t, RowRates rates) {
        return new ArrayList<>(
                List.of(
                        t.failed() ? ProgressView.name(t) + " (FAILED)" : ProgressView.name(t),
                        Units.count(t.rowsWritten()),
                        Units.duration(t.elapsed()),
                        Units.count(rates.perSecond(t))));
    }

    private static List<String> totals(RunResult result, RowRates rates) {
        long rows = result.rowsWritten();
        return new ArrayList<>(
                List.of(
                        "total (" + Units.plural(result.tables().size(), "table") + ")",
                        Units.count(rows),
                        Units.duration(result.elapsed()),
                        Units.count(rates.perSecond(result.tables(), result.elapsed()))));
    }
}
