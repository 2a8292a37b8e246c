package io.siphon.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.TableId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnTypesTest {

    @Test
    void readsTargetColumnsByTableWithQuotedParts() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("public.orders.note", " varchar(200) ");
        raw.put("public.orders.total", "numeric(20,4)");
        raw.put("\"my.schema\".\"Items\".\"a.b\"", "text");
        ColumnTypes types = ColumnTypes.parse(raw);
        assertThat(types.forTable(TableId.of("public", "orders")))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("note", "varchar(200)", "total", "numeric(20,4)"));
        assertThat(types.forTable(TableId.of("my.schema", "Items")))
                .containsExactlyEntriesOf(Map.of("a.b", "text"));
        assertThat(types.forTable(TableId.of("public", "other"))).isEmpty();
        assertThat(ColumnTypes.parse(Map.of()).isEmpty()).isTrue();
    }

    @Test
    void aKeyThatIsNotSchemaTableColumnOrAnEmptyTypeIsAConfigError() {
        assertThatThrownBy(() -> ColumnTypes.parse(Map.of("orders.note", "text")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
                            assertThat(e.getMessage())
                                    .contains("orders.note", "schema.table.column");
                        });
        assertThatThrownBy(() -> ColumnTypes.parse(Map.of("a.b.\"c", "text")))
                .isInstanceOf(SiphonException.class);
        assertThatThrownBy(() -> ColumnTypes.parse(Map.of("a.b.c", " ")))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("needs a type");
    }
}
