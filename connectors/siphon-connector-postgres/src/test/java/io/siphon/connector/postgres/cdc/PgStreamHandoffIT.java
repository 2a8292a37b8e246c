package io.siphon.connector.postgres.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A new slot's exported snapshot and its stream meet exactly: every row committed before the slot
 * is in the snapshot and not in the stream, every row committed after it is in the stream and not
 * in the snapshot, while a writer keeps inserting throughout.
 */
class PgStreamHandoffIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @Test
    void theExportedSnapshotEndsExactlyWhereTheStreamBegins() throws Exception {
        String db = PG.server().createDatabase("handoff");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.h (id int PRIMARY KEY, v text)",
                        "INSERT INTO public.h SELECT g, 'before' FROM generate_series(1, 100) g");
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer =
                new Thread(
                        () -> {
                            try (Connection w = PG.server().connect(db);
                                    PreparedStatement ps =
                                            w.prepareStatement(
                                                    "INSERT INTO public.h VALUES (?, 'during')")) {
                                for (int id = 1_000; !stop.get(); id++) {
                                    ps.setInt(1, id);
                                    ps.executeUpdate();
                                    written.add(id);
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "writer");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema h = Cdc.table(c, "public.h");
            writer.start();
            awaitSize(written, 20);
            StreamStart start = c.streamSource().prepare("handoff", List.of(h), null, true);
            int writtenAtSlot = written.size();
            awaitSize(written, writtenAtSlot + 50);
            Set<Integer> snapshot = new HashSet<>();
            try (ReadPoint point = start.snapshot()) {
                assertThat(point.token()).matches("[0-9A-F]+-[0-9A-F]+-[0-9]+");
                for (Row row :
                        Pg.readSplits(c, h, c.snapshotSource().planSplits(h, 40), point.token())) {
                    assertThat(snapshot.add((Integer) row.get(0))).isTrue();
                }
            }
            stop.set(true);
            writer.join();
            Set<Integer> all = new HashSet<>(written);
            IntStream.rangeClosed(1, 100).forEach(all::add);
            Set<Integer> streamed = new HashSet<>();
            try (ChangeStream stream =
                    c.streamSource().open("handoff", List.of(h), start.start())) {
                List<ChangeEvent> events =
                        Cdc.poll(stream, all.size() - snapshot.size(), Duration.ofSeconds(60));
                for (ChangeEvent e : events) {
                    assertThat(streamed.add((Integer) ((ChangeEvent.Insert) e).after().get(0)))
                            .isTrue();
                }
                assertThat(Cdc.pollFor(stream, Duration.ofMillis(300))).isEmpty();
            }
            assertThat(snapshot).containsAll(IntStream.rangeClosed(1, 100).boxed().toList());
            assertThat(snapshot).doesNotContainAnyElementsOf(streamed);
            Set<Integer> union = new HashSet<>(snapshot);
            union.addAll(streamed);
            assertThat(union).isEqualTo(all);
            // The cut fell inside the writer's run: some of its rows on each side.
            assertThat(snapshot.stream().filter(id -> id >= 1_000)).isNotEmpty();
            assertThat(streamed).hasSizeGreaterThanOrEqualTo(50);
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    private static void awaitSize(List<Integer> list, int size) {
        await().atMost(Duration.ofSeconds(30)).until(() -> list.size() >= size);
    }
}
