package io.siphon.engine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputSchemaDiffTest {

    private static final TableId T = TableId.of("public", "items");

    private static TableSchema schema(Column... columns) {
        return new TableSchema(T, List.of(columns), List.of("id"));
    }

    private static final Column ID = new Column("id", new DataType.Int32(), false, null);
    private static final Column QTY = Column.of("qty", new DataType.Int32());
    private static final Column DOUBLE = Column.of("double_qty", new DataType.Int64());

    @Test
    void aColumnAddedAtTheSourceIsAddedAfterTheColumnBeforeItInTheOutput() {
        Column color = Column.of("color", new DataType.StringType(DataType.UNBOUNDED, false));
        ChangeEvent.AddColumn cause = new ChangeEvent.AddColumn(T, color, "qty", EventMeta.NONE);

        assertThat(
                        OutputSchemaDiff.changes(
                                schema(ID, QTY, DOUBLE), schema(ID, QTY, color, DOUBLE), cause))
                .containsExactly(new ChangeEvent.AddColumn(T, color, "qty", EventMeta.NONE));
    }

    @Test
    void aRenamedColumnThatTheChainPassesOnStaysARename() {
        ChangeEvent.RenameColumn cause =
                new ChangeEvent.RenameColumn(T, "qty", "quantity", EventMeta.NONE);

        assertThat(
                        OutputSchemaDiff.changes(
                                schema(ID, QTY), schema(ID, QTY.withName("quantity")), cause))
                .containsExactly(cause);
    }

    @Test
    void aChangeTheChainHidesChangesNothingAndATypeChangeItPassesIsAlteredAndADropDropped() {
        Column wide = Column.of("qty", new DataType.Int64());
        ChangeEvent.DropColumn hidden = new ChangeEvent.DropColumn(T, "secret", EventMeta.NONE);
        ChangeEvent.AlterColumnType alter =
                new ChangeEvent.AlterColumnType(T, wide, EventMeta.NONE);

        assertThat(OutputSchemaDiff.changes(schema(ID, QTY), schema(ID, QTY), hidden)).isEmpty();
        assertThat(OutputSchemaDiff.changes(schema(ID, QTY), schema(ID, wide), alter))
                .containsExactly(alter);
        assertThat(OutputSchemaDiff.changes(schema(ID, QTY), schema(ID), hidden))
                .containsExactly(new ChangeEvent.DropColumn(T, "qty", EventMeta.NONE));
    }
}
