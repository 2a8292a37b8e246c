package io.siphon.connector.support.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetSchemasTest {

    private static final TableId T = TableId.of("s", "t");
    private static final TableSchema TABLE =
            new TableSchema(
                    T,
                    List.of(
                            Column.of("id", new DataType.Int32()),
                            Column.of("a", new DataType.Int32())),
                    List.of("id"));

    @Test
    void addedColumnGoesAfterItsNeighbourOrReplacesItselfOnReplay() {
        Column b = Column.of("b", new DataType.Int64());
        TableSchema added =
                TargetSchemas.after(TABLE, new ChangeEvent.AddColumn(T, b, "id", EventMeta.NONE));
        assertThat(added.columnNames()).containsExactly("id", "b", "a");
        assertThat(
                        TargetSchemas.after(
                                added, new ChangeEvent.AddColumn(T, b, "id", EventMeta.NONE)))
                .isEqualTo(added);
    }

    @Test
    void renamedKeyColumnRenamesTheKeyAndAReplayChangesNothing() {
        ChangeEvent.RenameColumn rename =
                new ChangeEvent.RenameColumn(T, "id", "key", EventMeta.NONE);
        TableSchema renamed = TargetSchemas.after(TABLE, rename);
        assertThat(renamed.columnNames()).containsExactly("key", "a");
        assertThat(renamed.primaryKey()).containsExactly("key");
        assertThat(TargetSchemas.after(renamed, rename)).isSameAs(renamed);
    }

    @Test
    void droppedAndRetypedColumns() {
        assertThat(
                        TargetSchemas.after(
                                        TABLE, new ChangeEvent.DropColumn(T, "a", EventMeta.NONE))
                                .columnNames())
                .containsExactly("id");
        Column wide = Column.of("a", new DataType.Int64());
        assertThat(
                        TargetSchemas.after(
                                        TABLE,
                                        new ChangeEvent.AlterColumnType(T, wide, EventMeta.NONE))
                                .column("a"))
                .isEqualTo(wide);
    }
}
