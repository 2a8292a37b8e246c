package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS;
import static io.siphon.transforms.Fixtures.changes;
import static io.siphon.transforms.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.BoundTransform;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CastTest {

    /** public.orders(id string key, amount decimal(10,2), ref uuid, at timestamp, qty string). */
    private static final TableSchema TEXTUAL =
            new TableSchema(
                    ORDERS,
                    List.of(
                            new Column("id", DataType.StringType.unbounded(), false, null),
                            Column.of("amount", new DataType.DecimalType(10, 2)),
                            Column.of("ref", new DataType.UuidType()),
                            Column.of("at", new DataType.TimestampType(6)),
                            Column.of("qty", DataType.StringType.unbounded())),
                    List.of("id"));

    private static final UUID REF = UUID.fromString("0b5e0d56-4c1e-4d5c-9a8e-1c2b3d4e5f60");

    private static BoundTransform cast(Map<String, String> columns) {
        return Fixtures.transform(
                        new CastFactory(), Map.of("columns", new LinkedHashMap<>(columns)))
                .bind(TEXTUAL);
    }

    private static Row row(String id, String amount, String qty) {
        return Row.of(id, new BigDecimal(amount), REF, LocalDateTime.of(2026, 3, 1, 9, 15), qty);
    }

    @Test
    void convertsValuesAndTheSchema() {
        var columns = new LinkedHashMap<String, String>();
        columns.put("id", "bigint");
        columns.put("amount", "float64");
        columns.put("ref", "string");
        columns.put("at", "timestamptz");
        columns.put("qty", "int32");
        BoundTransform t = cast(columns);

        assertThat(t.outputSchema().columns().stream().map(c -> TypeNames.name(c.type())))
                .containsExactly("int64", "float64", "string", "timestamptz", "int32");
        assertThat(t.outputSchema().primaryKey()).containsExactly("id");
        assertThat(rows(t, row("42", "9.50", " 7 ")))
                .containsExactly(
                        Row.of(
                                42L,
                                9.5,
                                REF.toString(),
                                OffsetDateTime.of(2026, 3, 1, 9, 15, 0, 0, ZoneOffset.UTC),
                                7));
    }

    @Test
    void aCastKeyColumnIsCastInKeyOnlyOldRowsToo() {
        BoundTransform t = cast(Map.of("id", "int64"));

        assertThat(
                        changes(
                                t,
                                new Delete(
                                        ORDERS,
                                        Row.of("42", null, null, null, null),
                                        true,
                                        EventMeta.NONE)))
                .containsExactly(
                        new Delete(
                                ORDERS, Row.of(42L, null, null, null, null), true, EventMeta.NONE));
    }

    @Test
    void nullsAndUnchangedValuesPassThrough() {
        BoundTransform t = cast(Map.of("qty", "int32"));
        Row before = row("1", "1.00", "3");
        Row after = Row.of("1", new BigDecimal("1.00"), REF, null, Unchanged.VALUE);

        assertThat(changes(t, new Update(ORDERS, before, false, after, EventMeta.NONE)))
                .containsExactly(
                        new Update(
                                ORDERS,
                                Row.of(
                                        "1",
                                        new BigDecimal("1.00"),
                                        REF,
                                        LocalDateTime.of(2026, 3, 1, 9, 15),
                                        3),
                                false,
                                after,
                                EventMeta.NONE));
    }

    @Test
    void aCastNoValueCouldMakeIsRefusedWhenBound() {
        assertThatThrownBy(() -> cast(Map.of("ref", "int64")))
                .isInstanceOf(SiphonException.class)
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.TRANSFORM_INVALID))
                .hasMessage(
                        "column 'ref' of public.orders is uuid, which cannot be cast to int64;"
                                + " cast it to string, or compute the value with an expression");
    }

    @Test
    void anUnknownTypeNameIsRefusedWhenCreated() {
        assertThatThrownBy(() -> cast(Map.of("qty", "integr")))
                .hasMessageStartingWith("'integr' is not a type; use one of boolean, int16");
    }

    @Test
    void aValueThatDoesNotConvertFailsNamingTheColumnAndTheKey() {
        BoundTransform t = cast(Map.of("qty", "int16"));

        assertThatThrownBy(() -> rows(t, row("a-1", "1.00", "70000")))
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.TRANSFORM_FAILED))
                .hasMessage(
                        "cast of column 'qty' failed on the row with key id=a-1: 70000 is not a"
                                + " whole number within int16");
    }

    @Test
    void decimalsAreRoundedToTheTargetScaleAndCheckedForPrecision() {
        BoundTransform t = cast(Map.of("amount", "decimal(4,1)"));

        assertThat(rows(t, row("1", "12.35", "x")).get(0).get(1)).isEqualTo(new BigDecimal("12.4"));
        assertThatThrownBy(() -> rows(t, row("2", "12345.00", "x")))
                .hasMessageEndingWith("12345.00 does not fit decimal(4,1)");
    }
}
