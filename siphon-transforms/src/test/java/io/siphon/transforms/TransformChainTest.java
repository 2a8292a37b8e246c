package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS;
import static io.siphon.transforms.Fixtures.ORDERS_SCHEMA;
import static io.siphon.transforms.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.TransformChain;
import io.siphon.spi.transform.TransformChain.Step;
import io.siphon.spi.transform.TransformFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TransformChainTest {

    private static final TableId TARGET = TableId.of("analytics", "orders");

    /** filter → compute → mask → drop → route, as a pipeline spec would list them. */
    private static List<Step> chain() {
        return List.of(
                step("real", new FilterFactory(), Map.of("where", "row.status != 'test'")),
                step(
                        "cents",
                        new ComputeFactory(),
                        Map.of("set", Map.of("cents", "int(row.amount * 100.0)"))),
                step("hide", new MaskFactory(), Map.of("columns", "customer")),
                step("slim", new DropFactory(), Map.of("columns", "amount")),
                step("out", new RouteFactory(), Map.of("target", "analytics.{table}")));
    }

    private static Step step(String name, TransformFactory factory, Map<String, ?> options) {
        return new Step(name, factory.type(), Fixtures.transform(factory, options));
    }

    @Test
    void everyOperatorIsFoundByItsType() {
        assertThat(ServiceLoader.load(TransformFactory.class).stream().map(p -> p.get().type()))
                .containsExactlyInAnyOrder(
                        "filter", "compute", "drop", "keep", "rename", "cast", "mask", "route",
                        "script");
    }

    @Test
    void theOutputSchemaIsDerivedThroughEveryStep() {
        TransformChain c = TransformChain.bind(chain(), ORDERS_SCHEMA);

        assertThat(c.outputSchema())
                .isEqualTo(
                        new TableSchema(
                                TARGET,
                                List.of(
                                        new Column("id", new DataType.Int64(), false, null),
                                        new Column(
                                                "customer",
                                                new DataType.StringType(64, false),
                                                true,
                                                null),
                                        Column.of("status", DataType.StringType.unbounded()),
                                        new Column("cents", new DataType.Int64(), true, null)),
                                List.of("id")));
        assertThat(c.stepSchemas().stream().map(s -> s.step() + ":" + s.schema().columnNames()))
                .containsExactly(
                        "real:[id, customer, amount, status]",
                        "cents:[id, customer, amount, status, cents]",
                        "hide:[id, customer, amount, status, cents]",
                        "slim:[id, customer, status, cents]",
                        "out:[id, customer, status, cents]");
    }

    @Test
    void rowsAndChangesRunThroughEveryStep() {
        TransformChain c = TransformChain.bind(chain(), ORDERS_SCHEMA);
        String ann = Hashing.sha256Hex("ann".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Row> rows = new ArrayList<>();
        c.row(order(1, "ann", "9.50", "paid"), rows::add);
        c.row(order(2, "bob", "1.00", "test"), rows::add);
        List<DataChange> changes = new ArrayList<>();
        c.change(
                new Update(
                        ORDERS,
                        order(1, "ann", "9.50", "test"),
                        false,
                        order(1, "ann", "9.75", "paid"),
                        EventMeta.NONE),
                changes::add);

        assertThat(rows).containsExactly(Row.of(1L, ann, "paid", 950L));
        assertThat(changes)
                .containsExactly(new Insert(TARGET, Row.of(1L, ann, "paid", 975L), EventMeta.NONE));
    }

    @Test
    void anAddedSourceColumnFlowsThroughTheChain() {
        TransformChain before = TransformChain.bind(chain(), ORDERS_SCHEMA);
        TableSchema evolved =
                ORDERS_SCHEMA.evolve(
                        new AddColumn(
                                ORDERS,
                                Column.of("note", DataType.StringType.unbounded()),
                                null,
                                EventMeta.NONE));

        TransformChain after = before.rebind(evolved);

        assertThat(before.outputSchema().columnNames())
                .containsExactly("id", "customer", "status", "cents");
        assertThat(after.outputSchema().columnNames())
                .containsExactly("id", "customer", "status", "note", "cents");
        List<Row> rows = new ArrayList<>();
        after.row(Row.of(3L, "cy", new BigDecimal("2.00"), "paid", "gift"), rows::add);
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.get(3)).isEqualTo("gift"));
    }

    @Test
    void aDroppedSourceColumnThatAComputeNeedsNamesTheStepAndTheColumn() {
        TableSchema evolved =
                ORDERS_SCHEMA.evolve(new DropColumn(ORDERS, "amount", EventMeta.NONE));

        assertThatThrownBy(() -> TransformChain.bind(chain(), evolved))
                .isInstanceOf(SiphonException.class)
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.TRANSFORM_INVALID))
                .hasMessage(
                        "transform 'cents' (compute) on table public.orders: 'set.cents'"
                                + " expression \"int(row.amount * 100.0)\" does not compile: at"
                                + " line 1, column 5: unknown column 'amount'. Columns of"
                                + " public.orders: id (int), customer (string), status (string)");
    }

    @Test
    void aFailureOnARowNamesTheStep() {
        TransformChain c = TransformChain.bind(chain(), ORDERS_SCHEMA);

        assertThatThrownBy(() -> c.row(order(5, "x", null, "paid"), r -> {}))
                .hasMessageStartingWith(
                        "transform 'cents' (compute) on table public.orders: 'set.cents'"
                                + " expression \"int(row.amount * 100.0)\" failed on the row with"
                                + " key id=5: row.amount is null here");
    }

    @Test
    void stepsMatchTheTableAsItReachesThemAndOtherTablesPassUnchanged() {
        List<Step> steps =
                List.of(
                        step("out", new RouteFactory(), Map.of("target", "analytics.{table}")),
                        step(
                                "only-analytics",
                                new DropFactory(),
                                Map.of("tables", "analytics.*", "columns", "status")),
                        step(
                                "only-public",
                                new DropFactory(),
                                Map.of("tables", "public.*", "columns", "amount")));
        TransformChain c = TransformChain.bind(steps, ORDERS_SCHEMA);
        TransformChain other =
                TransformChain.bind(
                        List.of(steps.get(2)), ORDERS_SCHEMA.withId(TableId.of("sales", "orders")));

        assertThat(c.stepSchemas().stream().map(TransformChain.StepSchema::step))
                .containsExactly("out", "only-analytics");
        assertThat(c.outputSchema().columnNames()).containsExactly("id", "customer", "amount");
        assertThat(other.outputSchema()).isEqualTo(other.inputSchema());
    }
}
