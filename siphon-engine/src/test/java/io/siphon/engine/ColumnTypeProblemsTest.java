package io.siphon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.StandardOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink's column-types must name target tables and their columns after the transforms. */
class ColumnTypeProblemsTest {

    private static final TableId TARGET = TableId.of("dw", "orders");
    private static final Map<TableId, TableFlow> FLOWS =
            Map.of(
                    TARGET,
                    new TableFlow(
                            TableId.of("shop", "orders"),
                            TARGET,
                            new TableSchema(
                                    TARGET,
                                    List.of(
                                            Column.of("id", new DataType.Int32()),
                                            Column.of("note", DataType.StringType.unbounded())),
                                    List.of("id")),
                            List.of()));

    private static List<Problem> problems(Map<String, String> columnTypes) {
        Config config =
                Config.of(
                        Map.of("column-types", new LinkedHashMap<>(columnTypes)),
                        List.of(StandardOptions.COLUMN_TYPES),
                        List.of());
        return Validation.columnTypeProblems(config, FLOWS);
    }

    @Test
    void overridesOfTargetColumnsPass() {
        assertThat(problems(Map.of("dw.orders.note", "varchar(200)"))).isEmpty();
    }

    @Test
    void aMisspeltTableOrColumnNamesTheNearestOne() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dw.ordres.note", "text");
        m.put("dw.orders.nte", "text");
        assertThat(problems(m))
                .satisfiesExactly(
                        p -> {
                            assertThat(p.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
                            assertThat(p.message()).contains("dw.ordres");
                            assertThat(p.fix()).isEqualTo("did you mean dw.orders?");
                        },
                        p -> {
                            assertThat(p.message()).contains("nte", "dw.orders");
                            assertThat(p.fix()).isEqualTo("did you mean note?");
                        });
    }

    @Test
    void theSourceNameOfARenamedTableIsNotATargetName() {
        assertThat(problems(Map.of("shop.orders.note", "text")))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("shop.orders"));
    }
}
