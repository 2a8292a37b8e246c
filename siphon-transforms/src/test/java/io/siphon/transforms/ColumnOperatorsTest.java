package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS;
import static io.siphon.transforms.Fixtures.bind;
import static io.siphon.transforms.Fixtures.changes;
import static io.siphon.transforms.Fixtures.deleteKeyOnly;
import static io.siphon.transforms.Fixtures.order;
import static io.siphon.transforms.Fixtures.orderKey;
import static io.siphon.transforms.Fixtures.rows;
import static io.siphon.transforms.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.spi.transform.BoundTransform;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** drop, keep and rename. */
class ColumnOperatorsTest {

    @Test
    void dropLeavesColumnsOutOfRowsChangesAndSchema() {
        BoundTransform t =
                bind(new DropFactory(), Map.of("columns", List.of("customer", "status")));

        assertThat(t.outputSchema().columnNames()).containsExactly("id", "amount");
        assertThat(rows(t, order(1, "ann", "2.50", "paid")))
                .containsExactly(Row.of(1L, new BigDecimal("2.50")));
        assertThat(
                        changes(
                                t,
                                update(
                                        order(1, "ann", "2.50", "new"),
                                        order(1, "ann", "3.00", "paid"))))
                .containsExactly(
                        new Update(
                                ORDERS,
                                Row.of(1L, new BigDecimal("2.50")),
                                false,
                                Row.of(1L, new BigDecimal("3.00")),
                                EventMeta.NONE));
        assertThat(changes(t, deleteKeyOnly(orderKey(4))))
                .containsExactly(new Delete(ORDERS, Row.of(4L, null), true, EventMeta.NONE));
    }

    @Test
    void dropRefusesAKeyColumnAndAMisspeltColumn() {
        assertThatThrownBy(() -> bind(new DropFactory(), Map.of("columns", "id")))
                .hasMessageStartingWith(
                        "'columns' names key column 'id' of public.orders, which cannot be dropped");
        assertThatThrownBy(() -> bind(new DropFactory(), Map.of("columns", "custmer")))
                .hasMessage(
                        "'columns' names column 'custmer', which public.orders does not have (did"
                                + " you mean 'customer'?); its columns are: id, customer, amount,"
                                + " status");
    }

    @Test
    void keepKeepsTheNamedColumnsInTheTablesOrder() {
        BoundTransform t = bind(new KeepFactory(), Map.of("columns", List.of("status", "id")));

        assertThat(t.outputSchema().columnNames()).containsExactly("id", "status");
        assertThat(rows(t, order(1, "ann", "2.50", "paid"))).containsExactly(Row.of(1L, "paid"));
    }

    @Test
    void keepMustKeepTheKey() {
        assertThatThrownBy(() -> bind(new KeepFactory(), Map.of("columns", List.of("status"))))
                .hasMessage(
                        "'columns' must include the key columns of public.orders (id): the target"
                                + " finds rows by their key; add id");
    }

    @Test
    void renameRenamesColumnsAndTheKeyFollows() {
        BoundTransform t =
                bind(
                        new RenameFactory(),
                        Map.of("columns", Map.of("id", "order_id", "status", "state")));

        assertThat(t.outputSchema().columnNames())
                .containsExactly("order_id", "customer", "amount", "state");
        assertThat(t.outputSchema().primaryKey()).containsExactly("order_id");
        assertThat(rows(t, order(1, "ann", "2.50", "paid")))
                .containsExactly(order(1, "ann", "2.50", "paid"));
    }

    @Test
    void renameRefusesANameTheTableHas() {
        assertThatThrownBy(
                        () ->
                                bind(
                                        new RenameFactory(),
                                        Map.of("columns", Map.of("status", "amount"))))
                .hasMessage(
                        "'columns' renames 'status' to 'amount', a name public.orders already has;"
                                + " choose another or drop that column first");
    }

    @Test
    void renameCanSwapTwoNames() {
        BoundTransform t =
                bind(
                        new RenameFactory(),
                        Map.of("columns", Map.of("customer", "status", "status", "customer")));

        assertThat(t.outputSchema().columnNames())
                .containsExactly("id", "status", "amount", "customer");
    }
}
