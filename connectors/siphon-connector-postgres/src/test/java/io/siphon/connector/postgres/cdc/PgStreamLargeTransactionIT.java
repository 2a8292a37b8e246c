package io.siphon.connector.postgres.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.EventMeta;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction of a million rows streams through with bounded memory: the stream hands it out in
 * polls of at most {@link PgChangeStream#MAX_EVENTS_PER_POLL} events and keeps none of them, and
 * this test keeps only counters.
 */
class PgStreamLargeTransactionIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final Logger LOG = LoggerFactory.getLogger(PgStreamLargeTransactionIT.class);
    private static final int ROWS = 1_000_000;

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void aMillionRowTransactionStreamsThroughInSmallPolls() {
        String db = PG.server().createDatabase("large");
        PG.server().execute(db, "CREATE TABLE public.big (id int, v int)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema big = Cdc.table(c, "public.big");
            StreamStart start = c.streamSource().prepare(db, List.of(big), null, false);
            PG.server()
                    .execute(
                            db,
                            "INSERT INTO public.big SELECT g, -g FROM generate_series(1, "
                                    + ROWS
                                    + ") g");
            try (ChangeStream stream = c.streamSource().open(db, List.of(big), start.start())) {
                int received = 0;
                int largestPoll = 0;
                long heapAtHalf = 0;
                EventMeta transaction = null;
                long firstNanos = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (received < ROWS && System.nanoTime() < deadline) {
                    List<ChangeEvent> events = stream.poll(Duration.ofMillis(200));
                    if (!events.isEmpty() && firstNanos == 0) {
                        firstNanos = System.nanoTime();
                        transaction = events.get(0).meta();
                    }
                    largestPoll = Math.max(largestPoll, events.size());
                    if (received >= ROWS / 2 && heapAtHalf == 0) {
                        heapAtHalf = usedHeapAfterGc();
                    }
                    for (ChangeEvent e : events) {
                        received++;
                        ChangeEvent.Insert insert = (ChangeEvent.Insert) e;
                        // In insert order, whole and in the one transaction, each change at
                        // its index in it.
                        assertThat(insert.after().get(0)).isEqualTo(received);
                        assertThat(insert.after().get(1)).isEqualTo(-received);
                        assertThat(insert.meta().position()).isSameAs(transaction.position());
                        assertThat(insert.meta().order())
                                .isEqualTo(
                                        new ChangeOrder(
                                                transaction.order().commit(), received - 1));
                    }
                }
                long millis = (System.nanoTime() - firstNanos) / 1_000_000;
                LOG.info(
                        "Streamed {} inserts of one transaction in {} ms: {} events/s, at most {}"
                                + " per poll, {} MB heap in use half way",
                        received,
                        millis,
                        received * 1000L / Math.max(1, millis),
                        largestPoll,
                        heapAtHalf >> 20);
                assertThat(received).isEqualTo(ROWS);
                assertThat(largestPoll).isEqualTo(PgChangeStream.MAX_EVENTS_PER_POLL);
                // Half a million events held anywhere would take more than 50 MB.
                assertThat(heapAtHalf).isLessThan(40L << 20);
                assertThat(stream.poll(Duration.ofMillis(300))).isEmpty();
                assertThat((PgLsn) stream.safePosition())
                        .isGreaterThan((PgLsn) transaction.position());
            }
        }
    }
}
