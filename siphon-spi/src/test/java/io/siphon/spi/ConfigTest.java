package io.siphon.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.TableId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static final Option<String> URL = Option.string("url", "JDBC URL").asRequired();
    private static final Option<String> PASSWORD =
            Option.string("password", "Password").asSensitive();
    private static final Option<Integer> FETCH =
            Option.integer("fetch-rows", "Rows per fetch", 100);
    private static final Option<Duration> TIMEOUT =
            Option.duration("timeout", "Connect timeout", Duration.ofSeconds(10));
    private static final Option<String> MODE =
            Option.choice("mode", "Mode", "fast", "fast", "safe");
    private static final List<Option<?>> OPTIONS = List.of(URL, PASSWORD, FETCH, TIMEOUT, MODE);

    @Test
    void convertsValuesAndAppliesDefaults() {
        Config c =
                Config.of(
                        Map.of("url", "jdbc:x", "fetch-rows", "1_000", "timeout", "250ms"),
                        OPTIONS,
                        List.of());

        assertThat(c.get(URL)).isEqualTo("jdbc:x");
        assertThat(c.get(FETCH)).isEqualTo(1000);
        assertThat(c.get(TIMEOUT)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.get(MODE)).isEqualTo("fast");
        assertThat(c.has(PASSWORD)).isFalse();
    }

    @Test
    void reportsEveryProblemWithTheNearestKey() {
        List<ConfigProblem> problems =
                Config.problems(
                        Map.of("pasword", "x", "fetch-rows", "lots", "mode", "fsat"),
                        OPTIONS,
                        List.of("type"));

        assertThat(problems)
                .extracting(ConfigProblem::code, ConfigProblem::message)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                ErrorCode.CONFIG_UNKNOWN_KEY,
                                "unknown key 'pasword': did you mean 'password'?"),
                        org.assertj.core.groups.Tuple.tuple(
                                ErrorCode.CONFIG_INVALID_VALUE,
                                "'fetch-rows' is 'lots' but must be a whole number (Rows per"
                                        + " fetch)"),
                        org.assertj.core.groups.Tuple.tuple(
                                ErrorCode.CONFIG_INVALID_VALUE,
                                "'mode' is 'fsat' but must be one of fast | safe; did you mean"
                                        + " 'fast'?"),
                        org.assertj.core.groups.Tuple.tuple(
                                ErrorCode.CONFIG_MISSING_KEY,
                                "missing required key 'url': JDBC URL"));
    }

    @Test
    void neverShowsSensitiveValues() {
        Map<String, Object> raw = new java.util.LinkedHashMap<>();
        raw.put("url", "jdbc:x");
        raw.put("password", "hunter2");
        Config c = Config.of(raw, OPTIONS, List.of());

        assertThat(c).hasToString("{url=jdbc:x, password=****}");
        Option<Integer> secretNumber = Option.integer("pin", "A pin", 0).asSensitive();
        assertThatThrownBy(() -> secretNumber.convert("12ab"))
                .hasMessage("'pin' is (hidden) but must be a whole number (A pin)");
    }

    @Test
    void suggestsOnlyPlausibleNames() {
        assertThat(NameSuggester.nearest("parallelizm", List.of("parallelism", "name")))
                .contains("parallelism");
        assertThat(NameSuggester.nearest("tabels", List.of("tables", "type"))).contains("tables");
        assertThat(NameSuggester.nearest("zzzzzz", List.of("tables", "type"))).isEmpty();
    }

    @Test
    void tablePatternsMatchPerPartAndUseTheDefaultSchema() {
        TablePattern items = TablePattern.parse("public.order_items_.*");
        TablePattern bare = TablePattern.parse("orders");
        TablePattern quoted = TablePattern.parse("\"My.Schema\".\"T*\"");

        assertThat(items.matches(TableId.of("public", "order_items_2024"), "x")).isTrue();
        assertThat(items.matches(TableId.of("other", "order_items_2024"), "x")).isFalse();
        assertThat(bare.matches(TableId.of("public", "orders"), "public")).isTrue();
        assertThat(bare.matches(TableId.of("shop", "orders"), "public")).isFalse();
        assertThat(quoted.matches(TableId.of("My.Schema", "T*"), "x")).isTrue();
        assertThat(quoted.matches(TableId.of("My.Schema", "TT"), "x")).isFalse();
        assertThat(bare.literalTable("public")).contains(TableId.of("public", "orders"));
        assertThat(quoted.literalTable("public")).contains(TableId.of("My.Schema", "T*"));
        assertThat(items.literalTable("public")).isEmpty();
    }

    @Test
    void tableFiltersExcludeAfterIncluding() {
        TableFilter filter = TableFilter.of(List.of("public.*"), List.of("public.tmp_.*"));

        assertThat(TablePattern.parse("*.*").matches(TableId.of("any", "thing"), "x")).isTrue();
        assertThat(filter.matches(TableId.of("public", "orders"), "public")).isTrue();
        assertThat(filter.matches(TableId.of("public", "tmp_x"), "public")).isFalse();
    }

    @Test
    void anInvalidRegularExpressionIsAConfigError() {
        assertThatThrownBy(() -> TablePattern.parse("public.orders["))
                .isInstanceOf(SiphonException.class)
                .hasMessageStartingWith(
                        "table pattern 'public.orders[' is not a valid regular expression");
    }

    @Test
    void mapOptionsKeepTheWrittenOrderAndRefuseAList() {
        Option<Map<String, String>> set = Option.stringMap("set", "Columns to set");
        java.util.LinkedHashMap<String, Object> raw = new java.util.LinkedHashMap<>();
        raw.put("b", "row.x + 1");
        raw.put("a", 2);

        Config c = Config.of(Map.of("set", raw), List.of(set), List.of());

        assertThat(c.get(set)).containsExactly(Map.entry("b", "row.x + 1"), Map.entry("a", "2"));
        assertThat(Config.problems(Map.of("set", List.of("a")), List.of(set), List.of()))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'set' is", "a map of names"));
        assertThat(Config.of(Map.of(), List.of(set), List.of()).get(set)).isEmpty();
    }
}
