package io.siphon.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableSchemaTest {

    private static final TableId T = TableId.of("s", "t");
    private static final TableSchema SCHEMA =
            new TableSchema(
                    T,
                    List.of(
                            Column.of("id", new DataType.Int32()),
                            Column.of("name", new DataType.StringType(10, false)),
                            Column.of("note", DataType.StringType.unbounded())),
                    List.of("id"));

    @Test
    void evolvesThroughEachKindOfColumnChange() {
        TableSchema s =
                SCHEMA.evolve(
                                new ChangeEvent.AddColumn(
                                        T,
                                        Column.of("color", DataType.StringType.unbounded()),
                                        "id",
                                        EventMeta.NONE))
                        .evolve(
                                new ChangeEvent.AlterColumnType(
                                        T,
                                        Column.of("name", new DataType.StringType(50, false)),
                                        EventMeta.NONE))
                        .evolve(new ChangeEvent.RenameColumn(T, "id", "key", EventMeta.NONE))
                        .evolve(new ChangeEvent.DropColumn(T, "note", EventMeta.NONE));

        assertThat(s.columnNames()).containsExactly("key", "color", "name");
        assertThat(s.column("name").type()).isEqualTo(new DataType.StringType(50, false));
        assertThat(s.primaryKey()).containsExactly("key");
    }

    @Test
    void aColumnAddedWithoutAPlaceGoesLastAndADroppedKeyColumnLeavesTheKey() {
        TableSchema s =
                SCHEMA.evolve(
                                new ChangeEvent.AddColumn(
                                        T,
                                        Column.of("z", new DataType.Int64()),
                                        null,
                                        EventMeta.NONE))
                        .evolve(new ChangeEvent.DropColumn(T, "id", EventMeta.NONE));

        assertThat(s.columnNames()).containsExactly("name", "note", "z");
        assertThat(s.hasPrimaryKey()).isFalse();
    }

    @Test
    void tableLevelChangesKeepTheColumns() {
        assertThat(SCHEMA.evolve(new ChangeEvent.DropTable(T, EventMeta.NONE))).isEqualTo(SCHEMA);
        assertThat(
                        SCHEMA.evolve(
                                new ChangeEvent.RenameTable(
                                        T, TableId.of("s", "u"), EventMeta.NONE)))
                .isEqualTo(SCHEMA);
    }
}
