package io.siphon.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void alignsNamesLeftAndNumbersRightWithATotal() {
        TextTable table =
                new TextTable("table", "rows", "time")
                        .row("public.customers", "100,000", "1.2s")
                        .row("public.order_items", "600,000", "12.5s")
                        .footer("total", "700,000", "13.0s");

        assertThat(table.lines())
                .containsExactly(
                        "table                  rows   time",
                        "----------------------------------",
                        "public.customers    100,000   1.2s",
                        "public.order_items  600,000  12.5s",
                        "----------------------------------",
                        "total               700,000  13.0s");
    }

    @Test
    void textColumnsAreAllAlignedLeft() {
        TextTable table =
                TextTable.ofText("name", "type", "url")
                        .row("source", "postgres", "jdbc:postgresql://db1/shop")
                        .row("dst", "mysql", "-");

        assertThat(table.lines())
                .containsExactly(
                        "name    type      url",
                        "--------------------------------------------",
                        "source  postgres  jdbc:postgresql://db1/shop",
                        "dst     mysql     -");
    }

    @Test
    void widthCountsCharactersNotBytes() {
        TextTable table =
                new TextTable("table", "ok").row("public.ünï", "✓").row("public.abcd", "✓");

        assertThat(table.lines())
                .containsExactly(
                        "table        ok", "---------------", "public.ünï    ✓", "public.abcd   ✓");
    }

    @Test
    void rejectsARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new TextTable("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row needs 2 cells, got 1");
    }
}
