package io.siphon.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableProgress;
import io.siphon.model.TableId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Progress for output that is not a terminal (a log, a pipe): a stream that moves nothing prints
 * nothing, and a table an earlier run copied says it was resumed, not "done ... 0 rows".
 */
class PlainProgressTest {

    private static final TableId ORDERS = TableId.of("public", "orders");

    private final StringWriter text = new StringWriter();
    private final PlainProgress display =
            new PlainProgress(new PrintWriter(text, true), RowRates.FRESH);

    /** A stream-only table: copied by an earlier run, so this run plans no chunks for it. */
    private static RunProgress streaming(long seconds, long inserts, double eventsPerSecond) {
        return new RunProgress(
                "shop",
                RunPhase.STREAMING,
                List.of(
                        new TableProgress(
                                ORDERS,
                                ORDERS,
                                0,
                                0,
                                1_000,
                                0,
                                false,
                                Duration.ZERO,
                                true,
                                inserts == 0 ? Map.of() : Map.of("insert", inserts),
                                null,
                                null)),
                Duration.ofSeconds(seconds),
                new StreamProgress("0/16B3748", "0/16B3748", eventsPerSecond, 12, 40, 0));
    }

    @Test
    void anIdleStreamPrintsNoChangeLinesAndAResumedTableSaysSo() {
        for (long s = 1; s <= 30; s++) {
            display.update(streaming(s, 0, 0.0));
        }

        assertThat(text.toString())
                .isEqualTo(
                        """
                        [00:01] public.orders (resumed)
                        [00:01] streaming changes
                        """);
    }

    @Test
    void changesArePrintedWhenTheyComeAndNotAgainWhileTheStreamIdles() {
        display.update(streaming(1, 0, 0.0));
        display.update(streaming(5, 3, 0.3));
        for (long s = 6; s <= 30; s++) {
            display.update(streaming(s, 3, 0.0));
        }

        assertThat(text.toString())
                .isEqualTo(
                        """
                        [00:01] public.orders (resumed)
                        [00:01] streaming changes
                        [00:05] stream  0 events/s  read 0/16B3748  acknowledged 0/16B3748  \
                        backlog 0 B  latency p50 12 ms p99 40 ms
                        [00:05] changes public.orders 3 inserts, 0 updates, 0 deletes, 0 truncates
                        """);
    }
}
