package io.siphon.transforms;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScriptTest {

    private static BoundTransform script(String function, Map<String, String> columns) {
        Map<String, Object> options = new HashMap<>();
        options.put("function", function);
        options.put("columns", columns);
        options.put("time-limit", "300ms");
        return bind(new ScriptFactory(), options);
    }

    private static Map<String, String> ordered(String... namesAndTypes) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.put(namesAndTypes[i], namesAndTypes[i + 1]);
        }
        return columns;
    }

    private static BoundTransform script(String function) {
        return script(function, Map.of());
    }

    @Test
    void aFunctionComputesADeclaredColumnAndKeepsTheOthersExactly() {
        BoundTransform t =
                script(
                        "(row, ctx) => { row.label = row.customer.toUpperCase() + ':' + ctx.op;"
                                + " row.doubled = row.amount * 2; return row; }",
                        ordered("label", "string", "doubled", "decimal(12,2)"));

        assertThat(t.outputSchema().columnNames())
                .containsExactly("id", "customer", "amount", "status", "label", "doubled");
        assertThat(rows(t, order(1, "ann", "12345678.91", "new")))
                .containsExactly(
                        Row.of(
                                1L,
                                "ann",
                                new BigDecimal("12345678.91"),
                                "new",
                                "ANN:snapshot",
                                new BigDecimal("24691357.82")));
    }

    @Test
    void aBigIntegerHandedBackUntouchedKeepsEveryDigit() {
        BoundTransform t = script("function (row) { return row; }");
        long beyondDouble = (1L << 62) + 1;

        assertThat(rows(t, order(beyondDouble, "a", "0.10", null)))
                .containsExactly(order(beyondDouble, "a", "0.10", null));
    }

    @Test
    void nullLeavesTheRowOutAndAListGivesSeveralRows() {
        BoundTransform t =
                script(
                        "(row) => row.status === 'test' ? null"
                                + " : row.status === 'split' ? [row, Object.assign({}, row,"
                                + " {id: row.id + 1000})] : row");

        assertThat(rows(t, order(1, "a", "1.00", "test"))).isEmpty();
        assertThat(rows(t, order(2, "a", "1.00", "split")))
                .containsExactly(order(2, "a", "1.00", "split"), order(1002, "a", "1.00", "split"));
    }

    @Test
    void anUpdateThatLeavesWhatTheScriptKeepsBecomesADeleteAndOneThatEntersItAnInsert() {
        BoundTransform t = script("(row) => row.status === 'test' ? null : row");
        Row real = order(1, "a", "1.00", "paid");
        Row test = order(1, "a", "1.00", "test");

        assertThat(changes(t, update(real, test))).containsExactly(delete(real));
        assertThat(changes(t, update(test, real))).containsExactly(insert(real));
        assertThat(changes(t, update(real, real))).containsExactly(update(real, real));
    }

    @Test
    void anInsertEnteringWithUnchangedValuesTakesThemFromTheOldRow() {
        BoundTransform t = script("(row) => row.status === 'test' ? null : row");
        Row before = order(1, "a", "1.00", "test");
        Row after = Row.of(1L, Unchanged.VALUE, new BigDecimal("1.00"), "paid");

        assertThat(changes(t, update(before, after)))
                .containsExactly(insert(order(1, "a", "1.00", "paid")));
        assertThat(changes(t, update(order(1, "a", "1.00", "paid"), after)))
                .containsExactly(update(order(1, "a", "1.00", "paid"), after));
    }

    @Test
    void keyOnlyOldRowsDeleteAndUpsertByKey() {
        BoundTransform t = script("(row) => row.status === 'test' ? null : row");
        Row after = order(1, "a", "1.00", "paid");

        assertThat(changes(t, updateKeyOnly(orderKey(1), order(1, "a", "1.00", "test"))))
                .containsExactly(deleteKeyOnly(orderKey(1)));
        assertThat(changes(t, updateKeyOnly(orderKey(1), after)))
                .containsExactly(updateKeyOnly(orderKey(1), after));
        assertThat(changes(t, deleteKeyOnly(orderKey(1))))
                .containsExactly(deleteKeyOnly(orderKey(1)));
    }

    @Test
    void aFunctionChangingKeysNeedsWholeOldRows() {
        BoundTransform t = script("(row) => { row.id = row.id + 100; return row; }");

        assertThatThrownBy(
                        () -> changes(t, updateKeyOnly(orderKey(1), order(1, "a", "1.00", "paid"))))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_FAILED);
                            assertThat(e.getMessage())
                                    .contains("REPLICA IDENTITY FULL")
                                    .contains("public.orders");
                        });
    }

    @Test
    void aChangedKeyMovesTheRow() {
        BoundTransform t = script("(row) => { row.id = row.id + 100; return row; }");

        assertThat(changes(t, insert(order(1, "a", "1.00", "x"))))
                .containsExactly(insert(order(101, "a", "1.00", "x")));
        assertThat(changes(t, delete(order(1, "a", "1.00", "x"))))
                .containsExactly(delete(order(101, "a", "1.00", "x")));
    }

    @Test
    void datesUuidsAndJsonTravelAsTextAndComeBackTyped() {
        TableSchema schema =
                new TableSchema(
                        TableId.of("public", "events"),
                        List.of(
                                new Column("id", new DataType.UuidType(), false, null),
                                Column.of("day", new DataType.DateType()),
                                Column.of("body", new DataType.JsonType(true))),
                        List.of("id"));
        Map<String, Object> options =
                Map.of(
                        "function",
                        "(row) => { row.next = row.day; row.body = {seen: JSON.parse(row.body).n};"
                                + " row.tag = row.id.substring(0, 8); return row; }",
                        "columns",
                        ordered("next", "date", "tag", "string"));
        BoundTransform t = Fixtures.transform(new ScriptFactory(), options).bind(schema);
        UUID id = UUID.fromString("0b8e4f1c-0000-4000-8000-000000000001");

        List<Row> out = new java.util.ArrayList<>();
        t.row(Row.of(id, LocalDate.of(2024, 2, 29), "{\"n\": 3}"), out::add);

        assertThat(out)
                .containsExactly(
                        Row.of(
                                id,
                                LocalDate.of(2024, 2, 29),
                                "{\"seen\":3}",
                                LocalDate.of(2024, 2, 29),
                                "0b8e4f1c"));
    }

    @Test
    void aFieldThatIsNoColumnMustBeDeclared() {
        BoundTransform t = script("(row) => { row.extra = 1; return row; }");

        assertThatThrownBy(() -> rows(t, order(7, "a", "1.00", "x")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_FAILED);
                            assertThat(e.getMessage())
                                    .contains("the row (id=7) of public.orders")
                                    .contains("'extra'")
                                    .contains("declare it under 'columns'");
                        });
    }

    @Test
    void anExceptionNamesTheRowTheLineAndTheMessage() {
        BoundTransform t = script("(row) => {\n  throw new Error('no customer ' + row.id);\n}");

        assertThatThrownBy(() -> rows(t, order(9, null, "1.00", "x")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_FAILED);
                            assertThat(e.getMessage())
                                    .contains("the row (id=9) of public.orders")
                                    .contains("no customer 9")
                                    .contains("line 2");
                        });
    }

    @Test
    void anEndlessLoopStopsAtTheTimeLimitAndCannotBeCaught() {
        BoundTransform t = script("(row) => { for (;;) { try { while (true) {} } catch (e) {} } }");

        assertThatThrownBy(() -> rows(t, order(3, "a", "1.00", "x")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e ->
                                assertThat(e.getMessage())
                                        .contains("the row (id=3)")
                                        .contains("time-limit of 300 ms"));
        // The sandbox is still usable for the next row.
        BoundTransform ok = script("(row) => row");
        assertThat(rows(ok, order(4, "a", "1.00", "x"))).hasSize(1);
    }

    @Test
    void aMemoryBlowUpStopsAtTheAllocationLimit() {
        Map<String, Object> options = new HashMap<>();
        options.put(
                "function",
                "(row) => { const a = []; for (;;) a.push('x'.repeat(100000)" + " + a.length); }");
        options.put("memory-limit-mb", 16);
        options.put("time-limit", "30s");
        BoundTransform t = bind(new ScriptFactory(), options);

        assertThatThrownBy(() -> rows(t, order(5, "a", "1.00", "x")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.getMessage()).contains("memory-limit-mb of 16 MiB"));
    }

    @Test
    void javaIsOutOfReachAndGlobalsCannotCarryStateBetweenRows() {
        for (String escape :
                List.of(
                        "(row) => { java.lang.System.exit(1); }",
                        "(row) => { Packages.java.lang.Runtime.getRuntime(); }",
                        "(row) => { row.getClass(); }",
                        "(row) => { counter = (typeof counter === 'undefined' ? 0 : counter) + 1;"
                                + " return row; }")) {
            BoundTransform t = script(escape);
            assertThatThrownBy(() -> rows(t, order(1, "a", "1.00", "x")))
                    .as(escape)
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_FAILED));
        }
    }

    @Test
    void aSourceThatIsNoFunctionFailsValidationWithTheReason() {
        for (String bad : List.of("(row) => { return row;", "42", "")) {
            assertThatThrownBy(() -> script(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_INVALID);
                                assertThat(e.getMessage())
                                        .contains("script 'function' cannot be used");
                            });
        }
    }

    @Test
    void theKeyCannotBeRetyped() {
        assertThatThrownBy(() -> script("(row) => row", Map.of("id", "string")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.getMessage()).contains("key column 'id'"));
    }

    @Test
    void eventsKeepTheirMeta() {
        BoundTransform t = script("(row) => row");
        EventMeta meta = new EventMeta(null, java.time.Instant.ofEpochSecond(1234), "tx-1");
        Insert in = new Insert(Fixtures.ORDERS, order(1, "a", "1.00", "x"), meta);

        assertThat(changes(t, in)).containsExactly(in);
        Update up =
                new Update(
                        Fixtures.ORDERS,
                        order(1, "a", "1.00", "x"),
                        false,
                        order(1, "b", "1.00", "x"),
                        meta);
        assertThat(changes(t, up)).containsExactly(up);
        Delete del = new Delete(Fixtures.ORDERS, order(1, "a", "1.00", "x"), false, meta);
        assertThat(changes(t, del)).containsExactly(del);
    }
}
