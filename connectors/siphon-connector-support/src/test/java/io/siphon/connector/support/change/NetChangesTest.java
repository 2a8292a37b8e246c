package io.siphon.connector.support.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run of changes reduces to what the target must hold. */
class NetChangesTest {

    private static final TableId T = TableId.of("s", "t");
    private static final TableSchema KEYED =
            new TableSchema(
                    T,
                    List.of(
                            new Column("id", new DataType.Int32(), false, null),
                            Column.of("name", DataType.StringType.unbounded()),
                            Column.of("doc", DataType.StringType.unbounded())),
                    List.of("id"));
    private static final TableSchema KEYLESS = new TableSchema(T, KEYED.columns(), List.of());
    private static final Object U = Unchanged.VALUE;

    private static ChangeEvent.DataChange insert(Object... after) {
        return new ChangeEvent.Insert(T, Row.of(after), EventMeta.NONE);
    }

    private static ChangeEvent.DataChange update(Row before, Object... after) {
        return new ChangeEvent.Update(T, before, false, Row.of(after), EventMeta.NONE);
    }

    private static ChangeEvent.DataChange updateByKey(int oldId, Object... after) {
        return new ChangeEvent.Update(
                T, Row.of(oldId, null, null), true, Row.of(after), EventMeta.NONE);
    }

    private static ChangeEvent.DataChange delete(Object... before) {
        return new ChangeEvent.Delete(T, Row.of(before), false, EventMeta.NONE);
    }

    private static NetChanges.Keyed keyed(ChangeEvent.DataChange... changes) {
        return (NetChanges.Keyed) NetChanges.of(KEYED, List.of(changes));
    }

    private static NetChanges.Keyless keyless(ChangeEvent.DataChange... changes) {
        return (NetChanges.Keyless) NetChanges.of(KEYLESS, List.of(changes));
    }

    private static BitSet bits(int... positions) {
        BitSet b = new BitSet();
        for (int p : positions) {
            b.set(p);
        }
        return b;
    }

    @Test
    void theLastChangeOfAKeyWins() {
        NetChanges.Keyed net =
                keyed(
                        insert(1, "a", "x"),
                        updateByKey(1, 1, "b", "x"),
                        insert(2, "c", "y"),
                        updateByKey(1, 1, "d", "z"),
                        delete(2, "c", "y"),
                        insert(2, "e", "w"));
        assertThat(net.upserts()).containsExactly(Row.of(1, "d", "z"), Row.of(2, "e", "w"));
        assertThat(net.deletes()).isEmpty();
        assertThat(net.partialUpdates()).isEmpty();
    }

    @Test
    void anInsertThenADeleteOfTheSameKeyStillDeletesBecauseAReplayedInsertMayBeThere() {
        NetChanges.Keyed net =
                keyed(insert(1, "a", "x"), updateByKey(1, 1, "b", "x"), delete(1, "b", "x"));

        assertThat(net.upserts()).isEmpty();
        assertThat(net.deletes()).containsExactly(Row.of(1));
    }

    @Test
    void aDeleteOfAKeyThatWasThereBeforeTheRunIsKeptThroughAnInsertAndDelete() {
        NetChanges.Keyed net = keyed(delete(1, "a", "x"), insert(1, "b", "y"), delete(1, "b", "y"));
        assertThat(net.deletes()).containsExactly(Row.of(1));
        assertThat(net.upserts()).isEmpty();
    }

    @Test
    void anUpdateThatChangesTheKeyDeletesTheOldKey() {
        NetChanges.Keyed net = keyed(updateByKey(1, 5, "a", "x"));
        assertThat(net.deletes()).containsExactly(Row.of(1));
        assertThat(net.upserts()).containsExactly(Row.of(5, "a", "x"));
    }

    @Test
    void aKeyMovedAwayAndBackEndsAsAnUpsertOfTheOriginalKey() {
        NetChanges.Keyed net = keyed(updateByKey(1, 5, "a", "x"), updateByKey(5, 1, "b", "x"));
        assertThat(net.upserts()).containsExactly(Row.of(1, "b", "x"));
        assertThat(net.deletes()).containsExactly(Row.of(5));
    }

    @Test
    void unchangedValuesComeFromAnEarlierRowOfTheKeyInTheRun() {
        NetChanges.Keyed net = keyed(insert(1, "a", "big"), updateByKey(1, 1, "b", U));
        assertThat(net.upserts()).containsExactly(Row.of(1, "b", "big"));
        assertThat(net.partialUpdates()).isEmpty();
    }

    @Test
    void unchangedValuesNotSeenInTheRunComeFromTheTargetRow() {
        NetChanges.Keyed net = keyed(updateByKey(1, 1, "b", U), updateByKey(1, 1, "c", U));
        assertThat(net.upserts()).isEmpty();
        assertThat(net.partialUpdates())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.row()).isEqualTo(Row.of(1, "c", U));
                            assertThat(p.unchanged()).isEqualTo(bits(2));
                            assertThat(p.sourceKey()).isEqualTo(Row.of(1));
                        });
    }

    @Test
    void aReKeyedRowWithUnchangedValuesTakesThemFromItsOldKeyAsItWasBeforeTheRun() {
        NetChanges.Keyed net =
                keyed(updateByKey(1, 2, "a", U), updateByKey(2, 3, U, U), insert(1, "new", "n"));
        assertThat(net.partialUpdates())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.row()).isEqualTo(Row.of(3, "a", U));
                            assertThat(p.unchanged()).isEqualTo(bits(2));
                            assertThat(p.sourceKey()).isEqualTo(Row.of(1));
                        });
        assertThat(net.deletes()).containsExactly(Row.of(2));
        assertThat(net.upserts()).containsExactly(Row.of(1, "new", "n"));
    }

    @Test
    void anUnchangedKeyValueIsTakenFromTheOldRow() {
        NetChanges.Keyed net = keyed(update(Row.of(7, "a", "x"), U, "b", "y"));
        assertThat(net.upserts()).containsExactly(Row.of(7, "b", "y"));
    }

    @Test
    void keysEqualInPostgresAreOneKey() {
        TableSchema decimalKey =
                new TableSchema(
                        T,
                        List.of(
                                new Column("id", new DataType.DecimalType(-1, -1), false, null),
                                Column.of("v", new DataType.Int32())),
                        List.of("id"));
        NetChanges.Keyed net =
                (NetChanges.Keyed)
                        NetChanges.of(
                                decimalKey,
                                List.of(
                                        insert(new BigDecimal("1.0"), 1),
                                        delete(new BigDecimal("1.00"), 1)));
        assertThat(net.upserts()).isEmpty();
        assertThat(net.deletes()).hasSize(1);
    }

    @Test
    void anInsertMayNotLeaveValuesUnchanged() {
        assertThatThrownBy(() -> keyed(insert(1, "a", U)))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID);
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "an inserted row of s.t marks column doc unchanged,"
                                                    + " which only the new row of an update may");
                        });
    }

    @Test
    void aRowOfTheWrongWidthIsDataInvalid() {
        assertThatThrownBy(() -> keyed(insert(1, "a")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e ->
                                assertThat(e.getMessage())
                                        .isEqualTo(
                                                "an inserted row of s.t has 2 values but the table"
                                                        + " has 3 columns"));
    }

    @Test
    void keylessChangesNetOutPerDistinctRow() {
        NetChanges.Keyless net =
                keyless(
                        insert(1, "a", "x"),
                        insert(1, "a", "x"),
                        delete(1, "a", "x"),
                        delete(2, "b", "y"),
                        delete(2, "b", "y"),
                        update(Row.of(3, "c", "z"), 3, "d", "z"),
                        insert(4, "e", "w"),
                        delete(4, "e", "w"));
        assertThat(net.inserts()).containsExactly(Row.of(1, "a", "x"), Row.of(3, "d", "z"));
        assertThat(net.deletes())
                .containsExactly(Row.of(2, "b", "y"), Row.of(2, "b", "y"), Row.of(3, "c", "z"));
    }

    @Test
    void aKeylessUpdateTakesUnchangedValuesFromItsOldRow() {
        NetChanges.Keyless net = keyless(update(Row.of(1, "a", "big"), 1, "b", U));
        assertThat(net.inserts()).containsExactly(Row.of(1, "b", "big"));
        assertThat(net.deletes()).containsExactly(Row.of(1, "a", "big"));
    }

    @Test
    void aKeylessChangeWithOnlyAKeyCannotFindItsRow() {
        assertThatThrownBy(() -> keyless(updateByKey(1, 1, "a", "x")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID);
                            assertThat(e.getMessage()).contains("REPLICA IDENTITY FULL");
                        });
    }
}
