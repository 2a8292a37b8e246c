package io.siphon.cli.terminal;

import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a run's progress into the text lines the displays (and {@code siphon status}) print; pure
 * formatting.
 */
public final class ProgressView {

    /** More table lines than this would scroll a terminal, so the rest are counted, not shown. */
    static final int MAX_TABLE_LINES = 15;

    private static final int BAR_WIDTH = 20;
    private static final int MAX_NAME_WIDTH = 40;

    private final Terminal terminal;
    private final RowRates rates;

    ProgressView(Terminal terminal, RowRates rates) {
        this.terminal = terminal;
        this.rates = rates;
    }

    static String phase(RunPhase phase) {
        return switch (phase) {
            case STARTING -> "starting";
            case CHECKING -> "checking source and sink";
            case PLANNING -> "planning chunks";
            case SNAPSHOTTING -> "snapshotting";
            case STREAMING -> "streaming changes";
            case COMPLETED -> "completed";
            case STOPPED -> "stopped";
            case FAILED -> "failed";
        };
    }

    /** Totals over all tables. */
    record Totals(int tables, int tablesDone, long rowsWritten, long rowsEstimated, int chunks) {

        static Totals of(RunProgress p) {
            int done = 0;
            int chunks = 0;
            long written = 0;
            long estimated = 0;
            for (TableProgress t : p.tables()) {
                done += t.done() ? 1 : 0;
                chunks += t.chunksTotal();
                written += t.rowsWritten();
                estimated += Math.max(t.rowsEstimated(), t.rowsWritten());
            }
            return new Totals(p.tables().size(), done, written, estimated, chunks);
        }

        int percent() {
            return tablesDone == tables
                    ? 100
                    : Math.min(99, Units.percent(rowsWritten, rowsEstimated));
        }
    }

    /** {@code demo-shop snapshotting 00:12 2/4 tables 812,345 / 1,000,000 rows (81%) ...}. */
    String headline(RunProgress p, long rowsPerSecond) {
        String line = p.pipeline() + "  " + phase(p.phase()) + "  " + Units.clock(p.elapsed());
        if (p.tables().isEmpty()) {
            return line;
        }
        if (p.phase() == RunPhase.STREAMING) {
            return line
                    + "  "
                    + Units.plural(p.tables().size(), "table")
                    + "  "
                    + Units.count(p.rowsWritten())
                    + " rows copied";
        }
        return line + "  " + totals(p, rowsPerSecond);
    }

    /** {@code 2/4 tables 812,345 / 1,000,000 rows (81%) 61,234 rows/s}. */
    String totals(RunProgress p, long rowsPerSecond) {
        Totals totals = Totals.of(p);
        return totals.tablesDone()
                + "/"
                + totals.tables()
                + " tables  "
                + Units.count(totals.rowsWritten())
                + " / "
                + Units.count(totals.rowsEstimated())
                + " rows ("
                + totals.percent()
                + "%)  "
                + Units.count(rowsPerSecond)
                + " rows/s";
    }

    /**
     * {@code re-snapshot (rewritten): chunks 3/10}: a table being copied again while the stream
     * runs.
     */
    public static String resnapshot(ResnapshotProgress r) {
        return "re-snapshot ("
                + r.reason()
                + "): "
                + (r.chunksTotal() == 0
                        ? r.status().toLowerCase(java.util.Locale.ROOT)
                        : "chunks " + r.chunksDone() + "/" + r.chunksTotal());
    }

    /** One line per table, as many as fit, then a line counting the ones left out. */
    List<String> tableLines(List<TableProgress> tables) {
        List<TableProgress> shown = tables;
        if (tables.size() > MAX_TABLE_LINES) {
            shown = new ArrayList<>();
            for (TableProgress t : tables) {
                if (!t.done() && t.rowsWritten() > 0 && shown.size() < MAX_TABLE_LINES) {
                    shown.add(t);
                }
            }
            for (TableProgress t : tables) {
                if (!t.done() && t.rowsWritten() == 0 && shown.size() < MAX_TABLE_LINES) {
                    shown.add(t);
                }
            }
        }
        int nameWidth = 0;
        for (TableProgress t : shown) {
            nameWidth = Math.max(nameWidth, name(t).length());
        }
        List<String> lines = new ArrayList<>();
        for (TableProgress t : shown) {
            lines.add(
                    t.resnapshot() == null
                            ? tableLine(t, nameWidth)
                            : tableLine(t, nameWidth) + "  " + resnapshot(t.resnapshot()));
        }
        if (shown.size() < tables.size()) {
            long done = tables.stream().filter(TableProgress::done).count();
            long hidden = tables.size() - shown.size();
            lines.add(
                    "  ... and "
                            + hidden
                            + " more tables ("
                            + done
                            + " done, "
                            + (hidden - done)
                            + " waiting)");
        }
        return lines;
    }

    /**
     * {@code stream 1,234 events/s read 0/1A2B3C8 acknowledged 0/1A2B000 backlog 12.0 KB latency
     * p50 35 ms p99 120 ms}: where a streaming run is.
     */
    static String streamLine(StreamProgress s) {
        return "stream  "
                + Units.count(Math.round(s.eventsPerSecond()))
                + " events/s  read "
                + position(s.sourcePosition())
                + "  acknowledged "
                + position(s.acknowledgedPosition())
                + "  backlog "
                + (s.backlogBytes() < 0 ? "unknown" : Units.bytes(s.backlogBytes()))
                + "  latency "
                + latency(s);
    }

    /** {@code p50 35 ms p99 120 ms}, or {@code -} before the first change. */
    static String latency(StreamProgress s) {
        return s.latencyP50Millis() < 0
                ? "-"
                : "p50 "
                        + Units.count(s.latencyP50Millis())
                        + " ms p99 "
                        + Units.count(s.latencyP99Millis())
                        + " ms";
    }

    /** A stream position as the source writes it, or {@code -} before there is one. */
    static String position(String position) {
        return position == null ? "-" : position;
    }

    /** {@code 12 inserts, 3 updates, 1 delete}: the table's streamed changes by operation. */
    public static String changes(Map<String, Long> events) {
        List<String> parts = new ArrayList<>();
        for (String op : List.of("insert", "update", "delete", "truncate")) {
            parts.add(Units.plural(events.getOrDefault(op, 0L), op));
        }
        long schema = events.getOrDefault("schema", 0L);
        if (schema > 0) {
            parts.add(Units.plural(schema, "schema change"));
        }
        return String.join(", ", parts);
    }

    /** Total changes streamed for a table, over all operations. */
    static long changeCount(TableProgress t) {
        return t.events().values().stream().mapToLong(Long::longValue).sum();
    }

    private String tableLine(TableProgress t, int nameWidth) {
        if (t.failed()) {
            String name = name(t);
            return "  "
                    + (terminal.unicode() ? "✗" : "x")
                    + " "
                    + name
                    + " ".repeat(nameWidth - name.length())
                    + "  "
                    + failure(t);
        }
        if (t.done() && !t.events().isEmpty()) {
            return streamingTableLine(t, nameWidth);
        }
        int percent = percent(t);
        String status;
        if (t.done()) {
            status = terminal.unicode() ? "✓" : "+";
        } else if (t.rowsWritten() > 0 || t.chunksDone() > 0) {
            status = terminal.unicode() ? "▸" : ">";
        } else {
            status = terminal.unicode() ? "·" : ".";
        }
        String name = name(t);
        return "  "
                + status
                + " "
                + name
                + " ".repeat(nameWidth - name.length())
                + "  "
                + bar(percent)
                + String.format(" %3d%%  ", percent)
                + Units.count(t.rowsWritten())
                + " / "
                + Units.count(Math.max(t.rowsEstimated(), t.rowsWritten()))
                + " rows  "
                + Units.count(rates.perSecond(t))
                + " rows/s  chunks "
                + t.chunksDone()
                + "/"
                + t.chunksTotal()
                + (t.resumed() ? "  (resumed)" : "");
    }

    /** A table whose snapshot is done and that has streamed changes: rows copied, changes. */
    private String streamingTableLine(TableProgress t, int nameWidth) {
        String name = name(t);
        return "  "
                + (terminal.unicode() ? "✓" : "+")
                + " "
                + name
                + " ".repeat(nameWidth - name.length())
                + "  "
                + Units.count(t.rowsWritten())
                + " rows copied  changes: "
                + changes(t.events());
    }

    /** {@code failed after 1,200 rows: DATA_INVALID}: a table that failed, and where. */
    public static String failure(TableProgress t) {
        return "failed after " + Units.count(t.rowsWritten()) + " rows: " + t.error().code();
    }

    /** The table's name as shown: the source, and the target where it is named differently. */
    public static String name(TableProgress t) {
        String name =
                t.source().equals(t.target())
                        ? t.source().toString()
                        : t.source() + " -> " + t.target();
        return name.length() <= MAX_NAME_WIDTH
                ? name
                : name.substring(0, MAX_NAME_WIDTH - 3) + "...";
    }

    /** Done is 100%; otherwise by rows (the estimate may be off, so never 100 before done). */
    static int percent(TableProgress t) {
        if (t.done()) {
            return 100;
        }
        if (t.rowsEstimated() > 0) {
            return Math.min(99, Units.percent(t.rowsWritten(), t.rowsEstimated()));
        }
        return t.chunksTotal() == 0 ? 0 : Math.min(99, t.chunksDone() * 100 / t.chunksTotal());
    }

    private String bar(int percent) {
        int full = percent * BAR_WIDTH / 100;
        String on = terminal.unicode() ? "█" : "#";
        String off = terminal.unicode() ? "░" : "-";
        return "[" + on.repeat(full) + off.repeat(BAR_WIDTH - full) + "]";
    }
}
