package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS;
import static io.siphon.transforms.Fixtures.bind;
import static io.siphon.transforms.Fixtures.order;
import static io.siphon.transforms.Fixtures.orderKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.spi.transform.BoundTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever the order of changes, the target holds exactly the source rows that pass the filter: a
 * seeded random history of inserts, updates (into, out of, inside and outside the condition) and
 * deletes, applied to a target the way a sink does (upsert, delete by key).
 */
class FilterTargetStateTest {

    private static final String[] STATUSES = {"paid", "test", "new"};

    @ParameterizedTest(name = "seed {0}, key-only old rows: {1}")
    @CsvSource({"1, false", "2, true", "3, false", "4, true"})
    void theTargetHoldsExactlyTheSourceRowsThatPass(long seed, boolean keyOnlyBefore) {
        BoundTransform filter = bind(new FilterFactory(), Map.of("where", "row.status != 'test'"));
        Random random = new Random(seed);
        Map<Long, Row> source = new TreeMap<>();
        Map<Long, Row> target = new TreeMap<>();
        for (int step = 0; step < 5_000; step++) {
            long id = random.nextInt(50);
            Row old = source.get(id);
            Row next = order(id, "c" + id, step + ".00", STATUSES[random.nextInt(STATUSES.length)]);
            DataChange change;
            if (old == null) {
                change = new Insert(ORDERS, next, EventMeta.NONE);
                source.put(id, next);
            } else if (random.nextInt(4) == 0) {
                change =
                        new Delete(
                                ORDERS,
                                keyOnlyBefore ? orderKey(id) : old,
                                keyOnlyBefore,
                                EventMeta.NONE);
                source.remove(id);
            } else {
                change =
                        new Update(
                                ORDERS,
                                keyOnlyBefore ? orderKey(id) : old,
                                keyOnlyBefore,
                                next,
                                EventMeta.NONE);
                source.put(id, next);
            }
            List<DataChange> out = new ArrayList<>();
            filter.change(change, out::add);
            out.forEach(c -> applyAsASink(c, target));
        }
        Map<Long, Row> expected = new TreeMap<>();
        source.forEach(
                (id, row) -> {
                    if (!"test".equals(row.get(3))) {
                        expected.put(id, row);
                    }
                });

        assertThat(target).isEqualTo(expected);
    }

    private static void applyAsASink(DataChange change, Map<Long, Row> target) {
        switch (change) {
            case Insert i -> target.put((Long) i.after().get(0), i.after());
            case Update u -> target.put((Long) u.after().get(0), u.after());
            case Delete d -> target.remove((Long) d.before().get(0));
        }
    }
}
