package io.siphon.connector.support.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.AlterColumnType;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.RenameColumn;
import io.siphon.model.ChangeEvent.SchemaChange;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How two shapes of a table become schema changes, and how they apply. */
class SchemaDiffTest {

    private static final TableId T = TableId.of("public", "t");
    private static final EventMeta META = new EventMeta(() -> "1", null, null);

    private static Column integer(String name) {
        return new Column(name, new DataType.Int32(), true, "integer");
    }

    private static Column bigint(String name) {
        return new Column(name, new DataType.Int64(), true, "bigint");
    }

    private static Column varchar(String name, int n) {
        return new Column(
                name, new DataType.StringType(n, false), true, "character varying(" + n + ")");
    }

    private static List<SchemaChange> diff(List<Column> from, List<Column> to) {
        // The catalog's evidence for renames is tested against a server (CdcPipelineIT,
        // PgStreamSchemaChangeIT); here it says yes.
        List<SchemaChange> changes = SchemaDiff.diff(T, from, to, META, (f, b, r) -> true);
        // Applying the changes must give exactly the new shape, as the engine will compute it.
        TableSchema evolved = new TableSchema(T, from, List.of("id"));
        for (SchemaChange c : changes) {
            evolved = evolved.evolve(c);
        }
        assertThat(evolved.columnNames()).isEqualTo(to.stream().map(Column::name).toList());
        assertThat(evolved.columns().stream().map(Column::type).toList())
                .isEqualTo(to.stream().map(Column::type).toList());
        return changes;
    }

    @Test
    void anAddedColumnFollowsTheColumnBeforeIt() {
        assertThat(
                        diff(
                                List.of(integer("id"), integer("a")),
                                List.of(integer("id"), integer("a"), varchar("b", 5))))
                .containsExactly(new AddColumn(T, varchar("b", 5), "a", META));
    }

    @Test
    void aMissingColumnIsDropped() {
        assertThat(
                        diff(
                                List.of(integer("id"), integer("a"), integer("b")),
                                List.of(integer("id"), integer("b"))))
                .containsExactly(new DropColumn(T, "a", META));
    }

    @Test
    void aWiderTypeIsAnAlteredColumn() {
        assertThat(
                        diff(
                                List.of(integer("id"), varchar("a", 10)),
                                List.of(bigint("id"), varchar("a", 50))))
                .containsExactly(
                        new AlterColumnType(T, bigint("id"), META),
                        new AlterColumnType(T, varchar("a", 50), META));
    }

    @Test
    void aNewNameInPlaceWithTheSameTypeIsARename() {
        assertThat(
                        diff(
                                List.of(integer("id"), integer("a"), varchar("b", 3)),
                                List.of(integer("id"), integer("renamed"), varchar("b", 3))))
                .containsExactly(new RenameColumn(T, "a", "renamed", META));
    }

    @Test
    void aNewNameWithAnotherTypeIsADropAndAnAdd() {
        assertThat(
                        diff(
                                List.of(integer("id"), integer("a")),
                                List.of(integer("id"), varchar("b", 3))))
                .containsExactly(
                        new DropColumn(T, "a", META),
                        new AddColumn(T, varchar("b", 3), "id", META));
    }

    @Test
    void swappedNamesAreNotRenames() {
        assertThat(
                        diff(
                                List.of(integer("id"), integer("a"), integer("b")),
                                List.of(integer("id"), integer("b"), integer("c"))))
                .containsExactly(
                        new DropColumn(T, "a", META), new AddColumn(T, integer("c"), "b", META));
    }

    @Test
    void theSameShapeIsNoChange() {
        assertThat(diff(List.of(integer("id")), List.of(integer("id")))).isEmpty();
    }

    @Test
    void renamingAKeyColumnRenamesItInTheKey() {
        TableSchema schema =
                new TableSchema(T, List.of(integer("id"), integer("a")), List.of("id"));
        TableSchema renamed = schema.evolve(new RenameColumn(T, "id", "key", META));
        assertThat(renamed.primaryKey()).containsExactly("key");
        assertThat(renamed.evolve(new DropColumn(T, "key", META)).primaryKey()).isEmpty();
    }
}
