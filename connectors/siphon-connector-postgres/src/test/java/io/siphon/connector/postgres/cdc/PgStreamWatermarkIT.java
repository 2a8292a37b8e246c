package io.siphon.connector.postgres.cdc;

import static io.siphon.connector.postgres.cdc.Cdc.withoutMeta;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watermarks written into the stream around a split read (DBLog), and table rewrites seen by their
 * new relfilenode.
 */
class PgStreamWatermarkIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TableId T = TableId.of("public", "t");

    /** Polls until a poll stops at the watermark, and returns the events before it. */
    private static List<ChangeEvent> pollUntil(ChangeStream stream, String watermark) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            events.addAll(stream.poll(Duration.ofMillis(200)));
            if (watermark.equals(stream.watermarkReached())) {
                return events;
            }
        }
        throw new AssertionError("watermark " + watermark + " never arrived; got " + events);
    }

    @Test
    void aSplitReadBetweenWatermarksAndThePollsStopAtEach() {
        String db = PG.server().createDatabase("wm");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, name text)",
                        "INSERT INTO public.t VALUES (1, 'a'), (2, 'b')");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server().execute(db, "INSERT INTO public.t VALUES (3, 'before')");
                SnapshotSplit whole = c.snapshotSource().planSplits(t, 1_000).getFirst();
                List<Row> rows = stream.readBetweenWatermarks(t, whole, "w1/low", "w1/high");
                PG.server().execute(db, "INSERT INTO public.t VALUES (4, 'after')");

                assertThat(rows)
                        .containsExactlyInAnyOrder(
                                Row.of(1, "a"), Row.of(2, "b"), Row.of(3, "before"));
                assertThat(withoutMeta(pollUntil(stream, "w1/low")))
                        .containsExactly(new Insert(T, Row.of(3, "before"), EventMeta.NONE));
                assertThat(pollUntil(stream, "w1/high")).isEmpty();
                assertThat(withoutMeta(Cdc.poll(stream, 1, WAIT)))
                        .containsExactly(new Insert(T, Row.of(4, "after"), EventMeta.NONE));
            }
        }
    }

    @Test
    void aVolatileDefaultIsReportedAsARewriteAndAPlainAddColumnIsNot() {
        String db = PG.server().createDatabase("rewrite");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, name text)",
                        "INSERT INTO public.t VALUES (1, 'a')");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server()
                        .execute(
                                db,
                                "ALTER TABLE public.t ADD COLUMN plain int",
                                "INSERT INTO public.t (id) VALUES (2)");
                Cdc.poll(stream, 2, WAIT);
                assertThat(stream.rewrittenTables()).isEmpty();

                PG.server()
                        .execute(
                                db,
                                "ALTER TABLE public.t ADD COLUMN t timestamptz DEFAULT"
                                        + " clock_timestamp()",
                                "INSERT INTO public.t (id) VALUES (3)");
                Cdc.poll(stream, 2, WAIT);
                assertThat(stream.rewrittenTables()).isEqualTo(Set.of(T));
                assertThat(stream.rewrittenTables()).as("reported once").isEmpty();
            }
        }
    }
}
