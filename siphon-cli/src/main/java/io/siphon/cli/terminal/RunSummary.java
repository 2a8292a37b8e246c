package io.siphon.cli.terminal;

import io.siphon.engine.RunResult;
import io.siphon.engine.TableProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The table printed when a run ends: rows, time and rate per table, and the total. */
public final class RunSummary {

    private RunSummary() {}

    /** table | rows | time | rows/s, with a total; rows are the table's, the rate is this run's. */
    public static List<String> lines(RunResult result, RowRates rates) {
        TextTable table = new TextTable("table", "rows", "time", "rows/s");
        for (TableProgress t : result.tables()) {
            table.row(cells(t, rates).toArray(String[]::new));
        }
        table.footer(totals(result, rates).toArray(String[]::new));
        return table.lines();
    }

    /** table | rows | time | rows/s | verified, with a total; {@code verified} gives the mark. */
    public static List<String> lines(
            RunResult result, RowRates rates, Function<TableProgress, String> verified) {
        TextTable table = new TextTable("table", "rows", "time", "rows/s", "verified");
        for (TableProgress t : result.tables()) {
            List<String> cells = cells(t, rates);
            cells.add(verified.apply(t));
            table.row(cells.toArray(String[]::new));
        }
        List<String> totals = totals(result, rates);
        totals.add("");
        table.footer(totals.toArray(String[]::new));
        return table.lines();
    }

    private static List<String> cells(TableProgress t, RowRates rates) {
        return new ArrayList<>(
                List.of(
                        ProgressView.name(t),
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
