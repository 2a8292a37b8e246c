package io.siphon.cli.terminal;

import io.siphon.engine.RunResult;
import io.siphon.engine.TableProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The table printed when a run ends: rows, time and rate per table, and the total. */
public final class RunSummary {

    private RunSummary() {}

    /** table | rows | time | rows/s, with a total. */
    public static List<String> lines(RunResult result) {
        TextTable table = new TextTable("table", "rows", "time", "rows/s");
        for (TableProgress t : result.tables()) {
            table.row(cells(t).toArray(String[]::new));
        }
        table.footer(totals(result).toArray(String[]::new));
        return table.lines();
    }

    /** table | rows | time | rows/s | verified, with a total; {@code verified} gives the mark. */
    public static List<String> lines(RunResult result, Function<TableProgress, String> verified) {
        TextTable table = new TextTable("table", "rows", "time", "rows/s", "verified");
        for (TableProgress t : result.tables()) {
            List<String> cells = cells(t);
            cells.add(verified.apply(t));
            table.row(cells.toArray(String[]::new));
        }
        List<String> totals = totals(result);
        totals.add("");
        table.footer(totals.toArray(String[]::new));
        return table.lines();
    }

    private static List<String> cells(TableProgress t) {
        return new ArrayList<>(
                List.of(
                        ProgressView.name(t),
                        Units.count(t.rowsWritten()),
                        Units.duration(t.elapsed()),
                        Units.count(Units.perSecond(t.rowsWritten(), t.elapsed()))));
    }

    private static List<String> totals(RunResult result) {
        long rows = result.rowsWritten();
        return new ArrayList<>(
                List.of(
                        "total (" + Units.plural(result.tables().size(), "table") + ")",
                        Units.count(rows),
                        Units.duration(result.elapsed()),
                        Units.count(Units.perSecond(rows, result.elapsed()))));
    }
}
