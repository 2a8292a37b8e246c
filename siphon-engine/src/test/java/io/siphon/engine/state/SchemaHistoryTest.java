package io.siphon.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaHistoryTest {

    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableId TAGS = TableId.of("shop", "tags");

    @TempDir Path dir;

    private static Map<TableId, TableSchema> history() {
        TableSchema items =
                new TableSchema(
                        ITEMS,
                        List.of(
                                new Column("id", new DataType.Int64(), false, "bigint"),
                                new Column(
                                        "price",
                                        new DataType.DecimalType(10, 2),
                                        true,
                                        "numeric(10,2)",
                                        new BigDecimal("1.50")),
                                new Column(
                                        "since",
                                        new DataType.DateType(),
                                        false,
                                        "date",
                                        LocalDate.of(2026, 1, 2)),
                                new Column(
                                        "blob",
                                        new DataType.BinaryType(0),
                                        true,
                                        "bytea",
                                        new byte[] {1, 2}),
                                new Column(
                                        "mood",
                                        new DataType.EnumType("public.mood", List.of("a", "b")),
                                        true,
                                        "public.mood")),
                        List.of("id"));
        TableSchema tags =
                new TableSchema(
                        TAGS,
                        List.of(
                                Column.of(
                                        "labels",
                                        new DataType.ArrayType(DataType.StringType.unbounded()))),
                        List.of());
        return Map.of(ITEMS, items, TAGS, tags);
    }

    @Test
    void theSourcesTableMarksAreStoredWithThePositionAndReplacedWithIt() {
        try (StateStore state = StateStore.open(dir)) {
            assertThat(state.tableMarks("p")).isEmpty();
            state.saveOffset(
                    "p", "memory", "{\"seq\":7}", history(), Map.of(ITEMS, "16384", TAGS, "16390"));
            assertThat(state.tableMarks("p")).isEqualTo(Map.of(ITEMS, "16384", TAGS, "16390"));

            state.saveOffset("p", "memory", "{\"seq\":8}", history(), Map.of(ITEMS, "16500"));
            assertThat(state.tableMarks("p")).isEqualTo(Map.of(ITEMS, "16500"));
            state.saveOffset("p", "memory", "{\"seq\":9}", history());
            assertThat(state.tableMarks("p")).as("a position stored without marks").isEmpty();
        }
    }

    @Test
    void aHistoryStoredWithAPositionReadsBackTheSameSchemas() {
        try (StateStore state = StateStore.open(dir)) {
            state.saveOffset("p", "memory", "{\"seq\":7}", history());

            Map<TableId, TableSchema> read = state.schemaHistory("p");

            assertThat(read.keySet()).containsExactlyInAnyOrder(ITEMS, TAGS);
            assertThat(read.get(TAGS)).isEqualTo(history().get(TAGS));
            TableSchema items = read.get(ITEMS);
            assertThat(items.columnNames()).containsExactly("id", "price", "since", "blob", "mood");
            assertThat(items.column("price").missingValue()).isEqualTo(new BigDecimal("1.50"));
            assertThat(items.column("since").missingValue()).isEqualTo(LocalDate.of(2026, 1, 2));
            assertThat((byte[]) items.column("blob").missingValue()).containsExactly(1, 2);
            assertThat(items.column("mood").type())
                    .isEqualTo(new DataType.EnumType("public.mood", List.of("a", "b")));
            assertThat(state.offset("p")).contains("{\"seq\":7}");
        }
    }

    @Test
    void aPositionStoredWithoutHistoryReplacesTheOldHistory() {
        try (StateStore state = StateStore.open(dir)) {
            state.saveOffset("p", "memory", "{\"seq\":7}", history());
            state.saveOffset("p", "memory", "{\"seq\":8}");

            assertThat(state.schemaHistory("p")).isEmpty();
            assertThat(state.offset("p")).contains("{\"seq\":8}");
        }
    }

    @Test
    void aHistoryThatCannotBeReadIsNone() {
        assertThat(SchemaHistory.decode("not base64 at all!")).isEmpty();
        assertThat(SchemaHistory.decode("AAAA")).isEmpty();
    }

    @Test
    void aHistoryHoldingOtherClassesIsRefused() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.ArrayList<>(List.of(new java.io.File("x"))));
        }
        String text = java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());

        assertThat(SchemaHistory.decode(text)).isEmpty();
    }
}
