package io.siphon.transforms;

import static io.siphon.transforms.Fixtures.ORDERS;
import static io.siphon.transforms.Fixtures.bind;
import static io.siphon.transforms.Fixtures.changes;
import static io.siphon.transforms.Fixtures.order;
import static io.siphon.transforms.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.Unchanged;
import io.siphon.spi.transform.BoundTransform;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskTest {

    private static String sha(String text) {
        return Hashing.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sha256IsDeterministicAcrossSeparatelyBuiltOperators() {
        BoundTransform a = bind(new MaskFactory(), Map.of("columns", "customer"));
        BoundTransform b = bind(new MaskFactory(), Map.of("columns", "customer", "with", "sha256"));

        assertThat(rows(a, order(1, "ann@example.com", "1", "x")))
                .containsExactly(order(1, sha("ann@example.com"), "1", "x"))
                .isEqualTo(rows(b, order(1, "ann@example.com", "1", "x")));
        assertThat(a.outputSchema().column("customer").type())
                .isEqualTo(new DataType.StringType(64, false));
    }

    @Test
    void aSaltChangesTheHash() {
        BoundTransform salted =
                bind(new MaskFactory(), Map.of("columns", "customer", "salt", "pepper"));

        assertThat(rows(salted, order(1, "ann", "1", "x")))
                .containsExactly(order(1, sha("pepperann"), "1", "x"));
    }

    @Test
    void aMaskedKeyStaysTheSameKeyInUpdatesAndKeyOnlyDeletes() {
        BoundTransform t = bind(new MaskFactory(), Map.of("columns", List.of("id")));
        String key = sha("7");

        assertThat(t.outputSchema().primaryKey()).containsExactly("id");
        assertThat(rows(t, order(7, "ann", "1", "x")))
                .containsExactly(Row.of(key, "ann", new BigDecimal("1"), "x"));
        assertThat(
                        changes(
                                t,
                                new Update(
                                        ORDERS,
                                        Row.of(7L, null, null, null),
                                        true,
                                        order(7, "ann", "2", "y"),
                                        EventMeta.NONE)))
                .containsExactly(
                        new Update(
                                ORDERS,
                                Row.of(key, null, null, null),
                                true,
                                Row.of(key, "ann", new BigDecimal("2"), "y"),
                                EventMeta.NONE));
        assertThat(
                        changes(
                                t,
                                new Delete(
                                        ORDERS,
                                        Row.of(7L, null, null, null),
                                        true,
                                        EventMeta.NONE)))
                .containsExactly(
                        new Delete(ORDERS, Row.of(key, null, null, null), true, EventMeta.NONE));
    }

    @Test
    void redactPartialAndNullHideValues() {
        assertThat(
                        rows(
                                bind(
                                        new MaskFactory(),
                                        Map.of("columns", "customer", "with", "redact")),
                                order(1, "ann", "1", "x")))
                .containsExactly(order(1, "****", "1", "x"));
        assertThat(
                        rows(
                                bind(
                                        new MaskFactory(),
                                        Map.of(
                                                "columns",
                                                "customer",
                                                "with",
                                                "partial",
                                                "keep-last",
                                                3)),
                                order(1, "4111111111111111", "1", "x")))
                .containsExactly(order(1, "*************111", "1", "x"));
        assertThat(
                        rows(
                                bind(
                                        new MaskFactory(),
                                        Map.of("columns", "amount", "with", "null")),
                                order(1, "ann", "1", "x")))
                .containsExactly(order(1, "ann", null, "x"));
    }

    @Test
    void onlySha256MayMaskAKey() {
        assertThatThrownBy(
                        () -> bind(new MaskFactory(), Map.of("columns", "id", "with", "partial")))
                .hasMessage(
                        "key column 'id' of public.orders can only be masked with sha256: partial"
                                + " would give different rows the same key");
    }

    @Test
    void anUnchangedValueStaysUnchangedSoTheTargetKeepsItsMaskedValue() {
        BoundTransform t = bind(new MaskFactory(), Map.of("columns", "customer"));
        Row after = Row.of(1L, Unchanged.VALUE, new BigDecimal("2"), "y");

        assertThat(
                        changes(
                                t,
                                new Update(
                                        ORDERS,
                                        order(1, "ann", "1", "x"),
                                        false,
                                        after,
                                        EventMeta.NONE)))
                .containsExactly(
                        new Update(
                                ORDERS,
                                order(1, sha("ann"), "1", "x"),
                                false,
                                after,
                                EventMeta.NONE));
    }

    @Test
    void theSaltNeverShowsInTheOperatorsText() {
        assertThat(
                        Fixtures.transform(
                                        new MaskFactory(),
                                        Map.of("columns", "customer", "salt", "s3cret"))
                                .toString())
                .doesNotContain("s3cret");
    }
}
