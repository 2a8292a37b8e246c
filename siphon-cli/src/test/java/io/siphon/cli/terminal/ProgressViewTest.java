package io.siphon.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableProgress;
import io.siphon.model.TableId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private static TableProgress table(
            String name,
            int chunksDone,
            int chunksTotal,
            long written,
            long estimated,
            boolean done) {
        TableId id = TableId.of("public", name);
        return new TableProgress(
                id,
                id,
                chunksTotal,
                chunksDone,
                estimated,
                written,
                false,
                Duration.ofSeconds(2),
                done,
                java.util.Map.of(),
                null,
                null);
    }

    private static RunProgress progress(List<TableProgress> tables) {
        return new RunProgress(
                "demo-shop", RunPhase.SNAPSHOTTING, tables, Duration.ofSeconds(75), null);
    }

    @Test
    void headlineSumsAllTables() {
        RunProgress p =
                progress(
                        List.of(
                                table("customers", 1, 1, 50_000, 50_000, true),
                                table("orders", 2, 4, 120_000, 250_000, false)));

        assertThat(new ProgressView(Terminal.PLAIN, RowRates.FRESH).headline(p, 61_234))
                .isEqualTo(
                        "demo-shop  snapshotting  01:15  1/2 tables  170,000 / 300,000 rows (56%)"
                                + "  61,234 rows/s");
    }

    @Test
    void tableLineShowsBarRowsRateAndChunks() {
        List<String> lines =
                new ProgressView(Terminal.PLAIN, RowRates.FRESH)
                        .tableLines(
                                List.of(
                                        table("orders", 2, 4, 125_000, 250_000, false),
                                        table("customers", 1, 1, 50_000, 50_000, true)));

        assertThat(lines)
                .containsExactly(
                        "  > public.orders     [##########----------]  50%  125,000 / 250,000 rows"
                                + "  62,500 rows/s  chunks 2/4",
                        "  + public.customers  [####################] 100%  50,000 / 50,000 rows"
                                + "  25,000 rows/s  chunks 1/1");
    }

    @Test
    void unicodeTerminalGetsBlocksAndMarks() {
        List<String> lines =
                new ProgressView(new Terminal(true, true), RowRates.FRESH)
                        .tableLines(List.of(table("orders", 0, 4, 0, 250_000, false)));

        assertThat(lines)
                .containsExactly(
                        "  · public.orders  [░░░░░░░░░░░░░░░░░░░░]   0%  0 / 250,000 rows  0 rows/s"
                                + "  chunks 0/4");
    }

    @Test
    void aTableNeverShows100PercentBeforeItIsDone() {
        TableProgress overEstimate = table("orders", 3, 4, 260_000, 250_000, false);

        assertThat(ProgressView.percent(overEstimate)).isEqualTo(99);
    }

    @Test
    void manyTablesShowTheActiveOnesAndCountTheRest() {
        List<TableProgress> tables = new ArrayList<>();
        IntStream.range(0, 180).forEach(i -> tables.add(table("done_" + i, 1, 1, 10, 10, true)));
        IntStream.range(0, 3).forEach(i -> tables.add(table("busy_" + i, 0, 1, 5, 10, false)));
        IntStream.range(0, 17).forEach(i -> tables.add(table("later_" + i, 0, 1, 0, 10, false)));

        List<String> lines = new ProgressView(Terminal.PLAIN, RowRates.FRESH).tableLines(tables);

        assertThat(lines).hasSize(ProgressView.MAX_TABLE_LINES + 1);
        assertThat(lines.get(0)).startsWith("  > public.busy_0 ");
        assertThat(lines.get(3)).startsWith("  . public.later_0 ");
        assertThat(lines.get(ProgressView.MAX_TABLE_LINES))
                .isEqualTo("  ... and 185 more tables (180 done, 5 waiting)");
    }

    @Test
    void streamLineShowsRatePositionsBacklogAndLatency() {
        StreamProgress s = new StreamProgress("0/1A2B3C8", "0/1A2B000", 1234.4, 35, 120, 12_288);

        assertThat(ProgressView.streamLine(s))
                .isEqualTo(
                        "stream  1,234 events/s  read 0/1A2B3C8  acknowledged 0/1A2B000  backlog"
                                + " 12.0 KB  latency p50 35 ms p99 120 ms");
    }

    @Test
    void streamLineBeforeTheFirstChangeShowsDashes() {
        StreamProgress s = new StreamProgress(null, null, 0, -1, -1, -1);

        assertThat(ProgressView.streamLine(s))
                .isEqualTo(
                        "stream  0 events/s  read -  acknowledged -  backlog unknown  latency -");
    }

    @Test
    void aStreamingTableShowsItsChangesByOperation() {
        TableId id = TableId.of("public", "orders");
        TableProgress t =
                new TableProgress(
                        id,
                        id,
                        1,
                        1,
                        1000,
                        1000,
                        false,
                        Duration.ofSeconds(1),
                        true,
                        Map.of("insert", 12L, "update", 3L, "delete", 1L, "schema", 1L),
                        null,
                        null);

        assertThat(new ProgressView(Terminal.PLAIN, RowRates.FRESH).tableLines(List.of(t)))
                .containsExactly(
                        "  + public.orders  1,000 rows copied  changes: 12 inserts, 3 updates, 1"
                                + " delete, 0 truncates, 1 schema change");
    }
}
