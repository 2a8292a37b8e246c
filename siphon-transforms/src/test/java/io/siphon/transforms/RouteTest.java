package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS_SCHEMA;
import static io.siphon.transforms.Fixtures.changes;
import static io.siphon.transforms.Fixtures.order;
import static io.siphon.transforms.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {

    private static final TableId SHARD_1 = TableId.of("shard_1", "orders");
    private static final TableId SHARD_2 = TableId.of("shard_2", "orders");

    @Test
    void aNamingRuleRenamesTheTable() {
        BoundTransform t =
                Fixtures.bind(new RouteFactory(), Map.of("target", "analytics.{schema}_{table}"));

        assertThat(t.outputSchema().id()).isEqualTo(TableId.of("analytics", "public_orders"));
        assertThat(t.outputSchema().columns()).isEqualTo(ORDERS_SCHEMA.columns());
        assertThat(changes(t, Fixtures.insert(order(1, "a", "1", "x"))))
                .containsExactly(
                        new Insert(
                                TableId.of("analytics", "public_orders"),
                                order(1, "a", "1", "x"),
                                EventMeta.NONE));
    }

    @Test
    void matchSelectsTablesAndItsGroupsFillTheTarget() {
        Transform t =
                Fixtures.transform(
                        new RouteFactory(),
                        Map.of(
                                "match",
                                "public\\.orders_(\\d{4})",
                                "target",
                                "archive.orders_y{1}"));

        assertThat(t.appliesTo(TableId.of("public", "orders_2024"))).isTrue();
        assertThat(t.appliesTo(TableId.of("public", "orders"))).isFalse();
        assertThat(
                        t.bind(ORDERS_SCHEMA.withId(TableId.of("public", "orders_2024")))
                                .outputSchema()
                                .id())
                .isEqualTo(TableId.of("archive", "orders_y2024"));
    }

    @Test
    void aGroupThatMatchDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> Fixtures.transform(new RouteFactory(), Map.of("target", "x.{1}")))
                .hasMessage(
                        "'target' uses {1} but 'match' has 0 group(s); add a group (...) to match"
                                + " or remove {1}");
    }

    @Test
    void aUnionOfShardsKeepsCollidingKeysApartByTheSourceColumn() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("tables", "shard_\\d+.orders");
        options.put("target", "public.all_orders");
        options.put("source-column", "source_table");
        Transform route = Fixtures.transform(new RouteFactory(), options);
        BoundTransform one = route.bind(ORDERS_SCHEMA.withId(SHARD_1));
        BoundTransform two = route.bind(ORDERS_SCHEMA.withId(SHARD_2));
        TableId all = TableId.of("public", "all_orders");

        assertThat(one.outputSchema()).isEqualTo(two.outputSchema());
        assertThat(one.outputSchema().id()).isEqualTo(all);
        assertThat(one.outputSchema().primaryKey()).containsExactly("id", "source_table");
        assertThat(one.outputSchema().columns())
                .last()
                .isEqualTo(
                        new Column("source_table", DataType.StringType.unbounded(), false, null));

        List<Row> target = new ArrayList<>();
        one.row(order(1, "ann", "1", "x"), target::add);
        two.row(order(1, "bob", "2", "y"), target::add);
        assertThat(target)
                .containsExactly(
                        Row.of(1L, "ann", new BigDecimal("1"), "x", "shard_1.orders"),
                        Row.of(1L, "bob", new BigDecimal("2"), "y", "shard_2.orders"));

        assertThat(
                        changes(
                                two,
                                new Delete(
                                        SHARD_2,
                                        Row.of(1L, null, null, null),
                                        true,
                                        EventMeta.NONE)))
                .containsExactly(
                        new Delete(
                                all,
                                Row.of(1L, null, null, null, "shard_2.orders"),
                                true,
                                EventMeta.NONE));
    }

    @Test
    void aSourceColumnTheTableHasIsRefused() {
        assertThatThrownBy(
                        () ->
                                Fixtures.bind(
                                        new RouteFactory(),
                                        Map.of("target", "x.y", "source-column", "status")))
                .hasMessage(
                        "'source-column' is 'status', a column public.orders already has; choose"
                                + " another name");
    }

    @Test
    void withoutASourceColumnRowsPassAsTheyAre() {
        BoundTransform t = Fixtures.bind(new RouteFactory(), Map.of("target", "x.y"));

        assertThat(rows(t, order(1, "a", "1", "x"))).containsExactly(order(1, "a", "1", "x"));
    }
}
