package io.siphon.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableIdTest {

    @Test
    void parsesPlainAndQuotedParts() {
        assertThat(TableId.parse("public.orders", "x")).isEqualTo(TableId.of("public", "orders"));
        assertThat(TableId.parse("orders", "public")).isEqualTo(TableId.of("public", "orders"));
        assertThat(TableId.parse("\"My Schema\".\"a.b\"", "x"))
                .isEqualTo(TableId.of("My Schema", "a.b"));
        assertThat(TableId.parse("s.\"say \"\"hi\"\"\"", "x"))
                .isEqualTo(TableId.of("s", "say \"hi\""));
    }

    @Test
    void quotesOnlyWhereNeeded() {
        assertThat(TableId.of("public", "orders")).hasToString("public.orders");
        assertThat(TableId.of("Sales", "order items")).hasToString("\"Sales\".\"order items\"");
        assertThat(TableId.of("s", "select")).hasToString("s.select");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Order Items", "a.b", "say \"hi\"", "ünïcødé", "MiXeD", "x"})
    void formattingParsesBackToTheSameId(String name) {
        TableId id = TableId.of("Schema " + name, name);

        assertThat(TableId.parse(id.toString(), "unused")).isEqualTo(id);
    }

    @Test
    void rejectsMalformedNames() {
        assertThatThrownBy(() -> TableId.parse("a.b.c", "x"))
                .hasMessageContaining("write schema.table or table");
        assertThatThrownBy(() -> TableId.parse("\"open", "x"))
                .hasMessageContaining("unclosed double quote");
        assertThatThrownBy(() -> TableId.parse("a.", "x")).hasMessageContaining("empty name part");
    }

    @Test
    void rowsCompareByValueIncludingByteArrays() {
        assertThat(Row.of(1, new byte[] {1, 2}, null))
                .isEqualTo(Row.of(1, new byte[] {1, 2}, null));
        assertThat(Row.of(1, new byte[] {1, 2})).isNotEqualTo(Row.of(1, new byte[] {1, 3}));
    }

    @Test
    void schemasRejectKeysThatAreNotColumns() {
        assertThatThrownBy(
                        () ->
                                new TableSchema(
                                        TableId.of("s", "t"),
                                        java.util.List.of(Column.of("id", new DataType.Int32())),
                                        java.util.List.of("nope")))
                .hasMessage("primary key column nope is not a column of s.t");
    }
}
