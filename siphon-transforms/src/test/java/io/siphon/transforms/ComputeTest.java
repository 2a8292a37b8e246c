package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS_SCHEMA;
import static io.siphon.transforms.Fixtures.bind;
import static io.siphon.transforms.Fixtures.changes;
import static io.siphon.transforms.Fixtures.insert;
import static io.siphon.transforms.Fixtures.order;
import static io.siphon.transforms.Fixtures.orderKey;
import static io.siphon.transforms.Fixtures.rows;
import static io.siphon.transforms.Fixtures.update;
import static io.siphon.transforms.Fixtures.updateKeyOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.BoundTransform;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComputeTest {

    private static BoundTransform compute(Map<String, String> set) {
        return bind(new ComputeFactory(), Map.of("set", new LinkedHashMap<>(set)));
    }

    @Test
    void aNewColumnIsAddedLastWithTheExpressionsType() {
        BoundTransform t = compute(Map.of("amount_cents", "int(row.amount * 100.0)"));

        assertThat(t.outputSchema().columns())
                .last()
                .isEqualTo(new Column("amount_cents", new DataType.Int64(), true, null));
        assertThat(t.outputSchema().primaryKey()).containsExactly("id");
        assertThat(rows(t, order(1, "ann", "9.50", "paid")))
                .containsExactly(Row.of(1L, "ann", new BigDecimal("9.50"), "paid", 950L));
    }

    @Test
    void anExistingColumnKeepsItsTypeWhenTheResultFitsIt() {
        BoundTransform t =
                compute(
                        Map.of(
                                "amount",
                                "row.amount * 1.1",
                                "customer",
                                "row.customer.upperAscii()"));

        assertThat(t.outputSchema().column("amount").type())
                .isEqualTo(new DataType.DecimalType(10, 2));
        assertThat(rows(t, order(1, "ann", "10.00", "paid")))
                .containsExactly(Row.of(1L, "ANN", new BigDecimal("11.00"), "paid"));
    }

    @Test
    void anExistingColumnTakesTheExpressionsTypeWhenItDoesNotFit() {
        BoundTransform t = compute(Map.of("status", "size(row.status)"));

        assertThat(t.outputSchema().column("status").type()).isEqualTo(new DataType.Int64());
        assertThat(rows(t, order(1, "ann", "1", "paid")))
                .containsExactly(Row.of(1L, "ann", new BigDecimal("1"), 4L));
    }

    @Test
    void everyExpressionSeesTheInputRow() {
        var set = new LinkedHashMap<String, String>();
        set.put("status", "'x'");
        set.put("old_status", "row.status");
        BoundTransform t = compute(set);

        assertThat(rows(t, order(1, "ann", "1", "paid")))
                .containsExactly(Row.of(1L, "ann", new BigDecimal("1"), "x", "paid"));
    }

    @Test
    void insertsAndUpdatesAreComputedOnBothRows() {
        BoundTransform t = compute(Map.of("label", "row.customer + ':' + row.status"));

        assertThat(changes(t, insert(order(1, "ann", "1", "new"))))
                .containsExactly(
                        new Insert(
                                Fixtures.ORDERS,
                                Row.of(1L, "ann", new BigDecimal("1"), "new", "ann:new"),
                                EventMeta.NONE));
        assertThat(changes(t, update(order(1, "ann", "1", "new"), order(1, "ann", "1", "paid"))))
                .containsExactly(
                        new Update(
                                Fixtures.ORDERS,
                                Row.of(1L, "ann", new BigDecimal("1"), "new", "ann:new"),
                                false,
                                Row.of(1L, "ann", new BigDecimal("1"), "paid", "ann:paid"),
                                EventMeta.NONE));
    }

    @Test
    void aKeyOnlyOldRowStaysKeyOnlyWithTheComputedColumnNull() {
        BoundTransform t = compute(Map.of("label", "row.customer + ':' + row.status"));

        assertThat(changes(t, updateKeyOnly(orderKey(1), order(1, "ann", "1", "paid"))))
                .containsExactly(
                        new Update(
                                Fixtures.ORDERS,
                                Row.of(1L, null, null, null, null),
                                true,
                                Row.of(1L, "ann", new BigDecimal("1"), "paid", "ann:paid"),
                                EventMeta.NONE));
    }

    @Test
    void anUnchangedValueIsTakenFromTheCompleteOldRow() {
        BoundTransform t = compute(Map.of("label", "row.customer + ':' + row.status"));
        Row after = Row.of(1L, Unchanged.VALUE, new BigDecimal("1"), "paid");

        assertThat(changes(t, update(order(1, "ann", "1", "new"), after)))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(((Update) c).after())
                                        .isEqualTo(
                                                Row.of(
                                                        1L,
                                                        Unchanged.VALUE,
                                                        new BigDecimal("1"),
                                                        "paid",
                                                        "ann:paid")));
    }

    @Test
    void anUnchangedValueWithoutACompleteOldRowFailsSayingHowToFixIt() {
        BoundTransform t = compute(Map.of("label", "row.customer + ':' + row.status"));
        Row after = Row.of(1L, Unchanged.VALUE, new BigDecimal("1"), "paid");

        assertThatThrownBy(() -> changes(t, updateKeyOnly(orderKey(1), after)))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining(
                        "failed on the row with key id=1: column 'customer' did not change")
                .hasMessageContaining("REPLICA IDENTITY FULL");
    }

    @Test
    void aKeyColumnCannotBeSet() {
        assertThatThrownBy(() -> compute(Map.of("id", "row.id + 1")))
                .hasMessage(
                        "'set' cannot set key column 'id' of public.orders: the target finds rows"
                                + " by their key; add a new column instead");
    }

    @Test
    void aResultThatNoColumnCanHoldIsRefused() {
        assertThatThrownBy(() -> compute(Map.of("m", "{'a': 1}")))
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.TRANSFORM_INVALID))
                .hasMessageContaining("gives map, which a column cannot hold");
    }

    @Test
    void anUnknownColumnInAnExpressionNamesTheOptionAndTheColumns() {
        assertThatThrownBy(() -> compute(Map.of("x", "row.totl * 2.0")))
                .hasMessage(
                        "'set.x' expression \"row.totl * 2.0\" does not compile: at line 1, column"
                                + " 1: unknown column 'totl'. Columns of public.orders: id (int),"
                                + " customer (string), amount (double), status (string)");
    }

    @Test
    void theDocumentedFunctionsWork() {
        var set = new LinkedHashMap<String, String>();
        set.put("h", "sha256(row.customer)");
        set.put("c", "coalesce(row.status, 'none')");
        set.put("r", "math.round(row.amount)");
        set.put("s", "row.customer.replace('a', 'A')");
        BoundTransform t = compute(set);

        assertThat(rows(t, order(1, "ann", "2.5", null)))
                .containsExactly(
                        Row.of(
                                1L,
                                "ann",
                                new BigDecimal("2.5"),
                                null,
                                Hashing.sha256Hex(
                                        "ann".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                                "none",
                                3.0,
                                "Ann"));
    }

    @Test
    void timeZoneConversionsMapInstantsAndWallClocks() {
        TableSchema events =
                new TableSchema(
                        TableId.of("public", "events"),
                        List.of(
                                new Column("id", new DataType.Int64(), false, null),
                                Column.of("at", new DataType.TimestampTzType(6)),
                                Column.of("local", new DataType.TimestampType(6)),
                                Column.of("day", new DataType.DateType())),
                        List.of("id"));
        var set = new LinkedHashMap<String, String>();
        set.put("paris_wall", "to_local(row.at, 'Europe/Paris')");
        set.put("local_instant", "to_instant(row.local, 'America/New_York')");
        set.put("local", "to_local(row.at, 'Asia/Tokyo')");
        set.put("next_day", "row.day + duration('24h')");
        BoundTransform t =
                Fixtures.transform(new ComputeFactory(), Map.of("set", set)).bind(events);
        OffsetDateTime at = OffsetDateTime.of(2026, 1, 15, 12, 0, 0, 0, ZoneOffset.UTC);
        LocalDateTime local = LocalDateTime.of(2026, 7, 1, 8, 30);

        assertThat(t.outputSchema().column("local").type())
                .isEqualTo(new DataType.TimestampType(6));
        assertThat(rows(t, Row.of(1L, at, local, LocalDate.of(2026, 2, 28))))
                .containsExactly(
                        Row.of(
                                1L,
                                at,
                                LocalDateTime.of(2026, 1, 15, 21, 0),
                                LocalDate.of(2026, 2, 28),
                                OffsetDateTime.of(2026, 1, 15, 13, 0, 0, 0, ZoneOffset.UTC),
                                OffsetDateTime.of(2026, 7, 1, 12, 30, 0, 0, ZoneOffset.UTC),
                                OffsetDateTime.of(2026, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
    }

    @Test
    void aResultOutOfTheColumnsRangeFailsNamingTheRow() {
        TableSchema small =
                new TableSchema(
                        TableId.of("public", "s"),
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("n", new DataType.Int16())),
                        List.of("id"));
        BoundTransform t =
                Fixtures.transform(new ComputeFactory(), Map.of("set", Map.of("n", "row.n * 1000")))
                        .bind(small);

        assertThatThrownBy(() -> rows(t, Row.of(7, (short) 100)))
                .hasMessage(
                        "'set.n' expression \"row.n * 1000\" failed on the row with key id=7: its"
                                + " result does not fit column type int16: 100000 is out of"
                                + " range -32768..32767");
    }

    @Test
    void theSchemaIsTheInputSchemaWithTheComputedColumns() {
        BoundTransform t = compute(Map.of("flag", "row.status == 'paid'"));

        assertThat(t.inputSchema()).isEqualTo(ORDERS_SCHEMA);
        assertThat(t.outputSchema().columnNames())
                .containsExactly("id", "customer", "amount", "status", "flag");
    }
}
