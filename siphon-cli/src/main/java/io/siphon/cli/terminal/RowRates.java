package io.siphon.cli.terminal;

import io.siphon.engine.TableProgress;
import io.siphon.model.TableId;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Rates over the rows this run wrote. A resumed table's progress counts the rows of chunks finished
 * by earlier runs too, but its time only this run's: dividing one by the other would overstate the
 * rate.
 *
 * @param rowsBefore rows finished by earlier runs, per source table; absent means none
 */
public record RowRates(Map<TableId, Long> rowsBefore) {

    /** For a run that resumes nothing. */
    public static final RowRates FRESH = new RowRates(Map.of());

    /** Copies the map. */
    public RowRates {
        rowsBefore = Map.copyOf(rowsBefore);
    }

    /** Rows the table got in this run. */
    public long thisRun(TableProgress t) {
        return t.rowsWritten() - rowsBefore.getOrDefault(t.source(), 0L);
    }

    /** The table's rows per second in this run. */
    public long perSecond(TableProgress t) {
        return Units.perSecond(thisRun(t), t.elapsed());
    }

    /** Rows per second over all tables in this run, over the run's time. */
    public long perSecond(List<TableProgress> tables, Duration elapsed) {
        return Units.perSecond(tables.stream().mapToLong(this::thisRun).sum(), elapsed);
    }
}
