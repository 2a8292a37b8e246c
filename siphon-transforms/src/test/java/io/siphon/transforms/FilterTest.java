package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS;
import static io.siphon.transforms.Fixtures.bind;
import static io.siphon.transforms.Fixtures.changes;
import static io.siphon.transforms.Fixtures.delete;
import static io.siphon.transforms.Fixtures.deleteKeyOnly;
import static io.siphon.transforms.Fixtures.insert;
import static io.siphon.transforms.Fixtures.order;
import static io.siphon.transforms.Fixtures.orderKey;
import static io.siphon.transforms.Fixtures.rows;
import static io.siphon.transforms.Fixtures.update;
import static io.siphon.transforms.Fixtures.updateKeyOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.BoundTransform;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {

    private final BoundTransform notTest =
            bind(new FilterFactory(), Map.of("where", "row.status != 'test'"));

    @Test
    void keepsSnapshotRowsThatPassAndLeavesOutTheOthers() {
        assertThat(rows(notTest, order(1, "ann", "9.50", "paid")))
                .containsExactly(order(1, "ann", "9.50", "paid"));
        assertThat(rows(notTest, order(2, "bob", "1.00", "test"))).isEmpty();
    }

    @Test
    void aNullWhereAValueIsNeededFailsNamingTheColumnAndTheKey() {
        BoundTransform big = bind(new FilterFactory(), Map.of("where", "row.amount > 5.0"));

        assertThatThrownBy(() -> rows(big, order(1, "ann", null, "paid")))
                .isInstanceOf(SiphonException.class)
                .hasMessage(
                        "'where' expression \"row.amount > 5.0\" failed on the row with key id=1:"
                                + " row.amount is null here and the expression needs a value;"
                                + " guard it (row.x != null && ...) or give a default"
                                + " (coalesce(row.x, 0))");
    }

    @Test
    void aGuardedNullLeavesTheRowOut() {
        BoundTransform big =
                bind(
                        new FilterFactory(),
                        Map.of("where", "row.amount != null && row.amount > 5.0"));

        assertThat(rows(big, order(1, "ann", null, "paid"))).isEmpty();
        assertThat(rows(big, order(2, "ann", "6", "paid"))).hasSize(1);
    }

    @Test
    void insertsPassOrAreLeftOut() {
        assertThat(changes(notTest, insert(order(1, "ann", "9.50", "paid"))))
                .containsExactly(insert(order(1, "ann", "9.50", "paid")));
        assertThat(changes(notTest, insert(order(2, "bob", "1.00", "test")))).isEmpty();
    }

    @Test
    void anUpdateInsideTheConditionStaysAnUpdate() {
        var u = update(order(1, "ann", "9.50", "new"), order(1, "ann", "9.50", "paid"));

        assertThat(changes(notTest, u)).containsExactly(u);
    }

    @Test
    void anUpdateThatMovesARowIntoTheConditionBecomesAnInsertWithItsUnchangedValues() {
        var u =
                update(
                        order(1, "ann", "9.50", "test"),
                        Row.of(1L, Unchanged.VALUE, new java.math.BigDecimal("9.50"), "paid"));

        assertThat(changes(notTest, u)).containsExactly(insert(order(1, "ann", "9.50", "paid")));
    }

    @Test
    void anUpdateThatMovesARowOutOfTheConditionBecomesADeleteOfTheOldRow() {
        var u = update(order(1, "ann", "9.50", "paid"), order(1, "ann", "9.50", "test"));

        assertThat(changes(notTest, u)).containsExactly(delete(order(1, "ann", "9.50", "paid")));
    }

    @Test
    void anUpdateOutsideTheConditionBeforeAndAfterGivesNothing() {
        var u = update(order(1, "ann", "9.50", "test"), order(1, "ann", "8.00", "test"));

        assertThat(changes(notTest, u)).isEmpty();
    }

    @Test
    void withAKeyOnlyOldRowAnUpdateThatFailsBecomesADeleteByKey() {
        var u = updateKeyOnly(orderKey(1), order(1, "ann", "9.50", "test"));

        assertThat(changes(notTest, u)).containsExactly(deleteKeyOnly(orderKey(1)));
    }

    @Test
    void withAKeyOnlyOldRowAnUpdateThatPassesStaysAnUpdate() {
        var u = updateKeyOnly(orderKey(1), order(1, "ann", "9.50", "paid"));

        assertThat(changes(notTest, u)).containsExactly(u);
    }

    @Test
    void aDeleteIsKeptWhenTheOldRowPassedAndWhenOnlyItsKeyIsKnown() {
        assertThat(changes(notTest, delete(order(1, "ann", "9.50", "paid"))))
                .containsExactly(delete(order(1, "ann", "9.50", "paid")));
        assertThat(changes(notTest, delete(order(2, "bob", "1.00", "test")))).isEmpty();
        assertThat(changes(notTest, deleteKeyOnly(orderKey(3))))
                .containsExactly(deleteKeyOnly(orderKey(3)));
    }

    @Test
    void theConditionSeesTheKindOfRowAndTheTable() {
        BoundTransform onlyInserts =
                bind(
                        new FilterFactory(),
                        Map.of(
                                "where",
                                "op in ['snapshot', 'insert'] && table == 'public.orders'"));

        assertThat(rows(onlyInserts, order(1, "ann", "1", "x"))).hasSize(1);
        assertThat(changes(onlyInserts, insert(order(1, "ann", "1", "x"))))
                .containsExactly(new Insert(ORDERS, order(1, "ann", "1", "x"), EventMeta.NONE));
        assertThat(changes(onlyInserts, delete(order(1, "ann", "1", "x")))).isEmpty();
    }

    @Test
    void aConditionThatIsNotABooleanIsRefusedWithItsType() {
        assertThatThrownBy(() -> bind(new FilterFactory(), Map.of("where", "row.amount + 1.0")))
                .isInstanceOf(SiphonException.class)
                .hasMessage(
                        "'where' expression \"row.amount + 1.0\" gives double but must give bool"
                                + " (true keeps the row), for example \"row.status != 'test'\"");
    }

    @Test
    void anUnknownColumnFailsWithItsPositionAndTheColumnsThatExist() {
        assertThatThrownBy(
                        () ->
                                bind(
                                        new FilterFactory(),
                                        Map.of("where", "row.id > 1 && row.stauts == 'x'")))
                .isInstanceOf(SiphonException.class)
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.TRANSFORM_INVALID))
                .hasMessage(
                        "'where' expression \"row.id > 1 && row.stauts == 'x'\" does not compile:"
                                + " at line 1, column 15: unknown column 'stauts' (did you mean"
                                + " 'status'?). Columns of"
                                + " public.orders: id (int), customer (string), amount (double),"
                                + " status (string)");
    }

    @Test
    void aTypeErrorFailsWithItsPosition() {
        assertThatThrownBy(() -> bind(new FilterFactory(), Map.of("where", "row.id == 'one'")))
                .hasMessageStartingWith(
                        "'where' expression \"row.id == 'one'\" does not compile: at line 1,"
                                + " column 8: found no matching overload for '_==_' applied to"
                                + " '(int, string)'");
    }

    @Test
    void aDeleteOfATestRowIsNotSentSoTheTargetNeverSawIt() {
        assertThat(
                        changes(
                                notTest,
                                new Delete(
                                        ORDERS, order(5, "x", "1", "test"), false, EventMeta.NONE)))
                .isEmpty();
    }
}
