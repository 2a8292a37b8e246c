package io.siphon.transforms;

import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import io.siphon.spi.transform.TransformFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small named factories for the operator tests. */
final class Fixtures {

    static final TableId ORDERS = TableId.of("public", "orders");

    /** public.orders(id int64 key, customer string, amount decimal(10,2), status string). */
    static final TableSchema ORDERS_SCHEMA =
            new TableSchema(
                    ORDERS,
                    List.of(
                            new Column("id", new DataType.Int64(), false, null),
                            Column.of("customer", DataType.StringType.unbounded()),
                            Column.of("amount", new DataType.DecimalType(10, 2)),
                            Column.of("status", DataType.StringType.unbounded())),
                    List.of("id"));

    private Fixtures() {}

    static Row order(long id, String customer, String amount, String status) {
        return Row.of(id, customer, amount == null ? null : new BigDecimal(amount), status);
    }

    static Row orderKey(long id) {
        return Row.of(id, null, null, null);
    }

    static Transform transform(TransformFactory factory, Map<String, ?> options) {
        return factory.create(Config.of(options, factory.options(), List.of()));
    }

    static BoundTransform bind(TransformFactory factory, Map<String, ?> options) {
        return transform(factory, options).bind(ORDERS_SCHEMA);
    }

    static List<Row> rows(BoundTransform t, Row row) {
        List<Row> out = new ArrayList<>();
        t.row(row, out::add);
        return out;
    }

    static List<DataChange> changes(BoundTransform t, DataChange change) {
        List<DataChange> out = new ArrayList<>();
        t.change(change, out::add);
        return out;
    }

    static Insert insert(Row after) {
        return new Insert(ORDERS, after, EventMeta.NONE);
    }

    static Update update(Row before, Row after) {
        return new Update(ORDERS, before, false, after, EventMeta.NONE);
    }

    static Update updateKeyOnly(Row beforeKey, Row after) {
        return new Update(ORDERS, beforeKey, true, after, EventMeta.NONE);
    }

    static Delete delete(Row before) {
        return new Delete(ORDERS, before, false, EventMeta.NONE);
    }

    static Delete deleteKeyOnly(Row beforeKey) {
        return new Delete(ORDERS, beforeKey, true, EventMeta.NONE);
    }
}
