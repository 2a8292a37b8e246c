package io.siphon.connector.mysql.binlog;

import static io.siphon.connector.mysql.binlog.BinlogChangeStreamIT.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.mysql.MySqlEndpoint;
import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.connector.mysql.catalog.MySqlCatalog;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.embedded.MariaDbServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DDL in the binary log: parsed into schema changes, and the schema history a resume uses. */
class BinlogSchemaChangesIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Test
    void ddlMidStreamComesBeforeTheRowsThatDependOnIt() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("ddl");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        TableId t = TableId.of(db, "t");
        TableId u = TableId.of(db, "u");
        TableSchema schema = describe(t);
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("ddl", List.of(schema), null, false).start();
        server.execute(
                db,
                "INSERT INTO t VALUES (1, 'a')",
                "ALTER TABLE t ADD COLUMN n INT NOT NULL DEFAULT 7 AFTER id",
                "INSERT INTO t VALUES (2, 5, 'b')",
                "ALTER TABLE t CHANGE COLUMN v w VARCHAR(30) NOT NULL",
                "UPDATE t SET w = 'c' WHERE id = 1",
                "ALTER TABLE t DROP COLUMN n, ADD COLUMN d DECIMAL(65,30) UNSIGNED NULL",
                "INSERT INTO t VALUES (3, 'x', 1.5)",
                "ALTER TABLE t RENAME COLUMN d TO e",
                "ALTER TABLE t MODIFY e BIGINT UNSIGNED",
                "TRUNCATE TABLE t",
                "RENAME TABLE t TO u",
                "INSERT INTO u VALUES (4, 'y', 18446744073709551615)",
                "DROP TABLE u");
        List<ChangeEvent> events = new ArrayList<>();
        try (ChangeStream stream = source.open("ddl", List.of(schema), start, Set.of())) {
            events.addAll(pollUntil(stream, 5));
            while (events.stream().noneMatch(e -> e instanceof ChangeEvent.DropTable)) {
                events.addAll(stream.poll(Duration.ofMillis(200)));
            }
        }
        assertThat(events)
                .map(BinlogSchemaChangesIT::describe)
                .containsExactly(
                        "Insert " + t + " [1, a]",
                        "AddColumn " + t + " n int(11) NOT NULL missing=7 after id",
                        "Insert " + t + " [2, 5, b]",
                        "RenameColumn " + t + " v -> w",
                        "AlterColumnType " + t + " w varchar(30) NOT NULL",
                        "Update " + t + " [1, 7, a] -> [1, 7, c]",
                        "DropColumn " + t + " n",
                        "AddColumn " + t + " d decimal(65,30) unsigned NULL after w",
                        "Insert " + t + " [3, x, 1.500000000000000000000000000000]",
                        "RenameColumn " + t + " d -> e",
                        "AlterColumnType " + t + " e bigint(20) unsigned NULL",
                        "Truncate " + t,
                        "RenameTable " + t + " -> " + u,
                        "Insert " + u + " [4, y, 18446744073709551615]",
                        "DropTable " + u);
    }

    @Test
    void schemaHistoryDecodesRowsAfterARestartWithTheSchemaOfTheirPosition() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("history");
        server.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), old_col INT)");
        TableId t = TableId.of(db, "t");
        BinlogStreamSource source = source();
        TableSchema initial = describe(t);
        BinlogOffset start =
                (BinlogOffset) source.prepare("history", List.of(initial), null, false).start();
        server.execute(db, "INSERT INTO t VALUES (1, 'a', 10)");
        BinlogOffset stored;
        Map<TableId, TableSchema> history;
        try (ChangeStream stream = source.open("history", List.of(initial), start, Set.of())) {
            pollUntil(stream, 1);
            stored = BinlogChangeStreamIT.pollPast(stream, start);
            history = stream.safeSchemas();
        }
        assertThat(history).containsEntry(t, initial);
        // While the pipeline is stopped: the table changes, with rows before and after.
        server.execute(
                db,
                "INSERT INTO t VALUES (2, 'b', 20)",
                "ALTER TABLE t DROP COLUMN old_col, ADD COLUMN n BIGINT NOT NULL DEFAULT 3",
                "INSERT INTO t VALUES (3, 'c', 30)");
        List<ChangeEvent> events = new ArrayList<>();
        TableSchema afterwards;
        try (ChangeStream stream =
                source.open("history", List.of(history.get(t)), stored, Set.of(t))) {
            events.addAll(pollUntil(stream, 2));
            BinlogOffset end = currentPosition();
            while (((BinlogOffset) stream.safePosition()).compareTo(end) < 0) {
                events.addAll(stream.poll(Duration.ofMillis(200)));
            }
            afterwards = stream.safeSchemas().get(t);
        }
        assertThat(events)
                .map(BinlogSchemaChangesIT::describe)
                .containsExactly(
                        "Insert " + t + " [2, b, 20]",
                        "DropColumn " + t + " old_col",
                        "AddColumn " + t + " n bigint(20) NOT NULL missing=3 after v",
                        "Insert " + t + " [3, c, 30]");
        assertThat(withoutMissingValues(afterwards)).isEqualTo(describe(t));
    }

    @Test
    void statementsTheParserCannotReadAreFollowedThroughTheCatalog() throws Exception {
        MariaDbServer server = MARIADB.server();
        String db = server.createDatabase("fallback");
        server.execute(
                db, "CREATE TABLE a (id INT PRIMARY KEY)", "CREATE TABLE b (id INT PRIMARY KEY)");
        TableSchema a = describe(TableId.of(db, "a"));
        BinlogStreamSource source = source();
        BinlogOffset start =
                (BinlogOffset) source.prepare("fallback", List.of(a), null, false).start();
        server.execute(db, "INSERT INTO a VALUES (1)", "DROP TABLE a, b");
        try (ChangeStream stream = source.open("fallback", List.of(a), start, Set.of())) {
            List<ChangeEvent> events = pollUntil(stream, 1);
            while (events.stream().noneMatch(e -> e instanceof ChangeEvent.DropTable)) {
                events.addAll(stream.poll(Duration.ofMillis(200)));
            }
            assertThat(events)
                    .map(BinlogSchemaChangesIT::describe)
                    .containsExactly("Insert " + a.id() + " [1]", "DropTable " + a.id());
            assertThat(stream.safeSchemas()).doesNotContainKey(a.id());
        }
    }

    private static BinlogStreamSource source() {
        return new BinlogStreamSource(
                TestServers.of(MARIADB.server()),
                new BinlogSettings(Duration.ofSeconds(1), null, false));
    }

    private static TableSchema describe(TableId id) throws Exception {
        MySqlEndpoint endpoint = TestServers.of(MARIADB.server());
        try (Connection c = endpoint.connect()) {
            return MySqlCatalog.describe(
                    c,
                    id,
                    new MySqlTypeMapper(
                            MySqlEndpoint.flavor(c),
                            MySqlOptions.KEY_TEXT_LENGTH.defaultValue(),
                            true));
        }
    }

    private static BinlogOffset currentPosition() throws Exception {
        try (Connection c = TestServers.of(MARIADB.server()).connect()) {
            return BinlogPositions.current(c, "test");
        }
    }

    private static TableSchema withoutMissingValues(TableSchema schema) {
        List<Column> columns = new ArrayList<>();
        for (Column c : schema.columns()) {
            columns.add(
                    new Column(
                            c.name(),
                            c.type(),
                            c.nullable(),
                            c.nativeType(),
                            null,
                            c.generatedExpression(),
                            c.defaultValue(),
                            c.autoIncrement(),
                            c.collation()));
        }
        return new TableSchema(schema.id(), columns, schema.primaryKey());
    }

    private static String describe(ChangeEvent e) {
        return switch (e) {
            case ChangeEvent.Insert i -> "Insert " + i.table() + " " + text(i.after());
            case ChangeEvent.Update up ->
                    "Update " + up.table() + " " + text(up.before()) + " -> " + text(up.after());
            case ChangeEvent.Delete d -> "Delete " + d.table() + " " + text(d.before());
            case ChangeEvent.Truncate tr -> "Truncate " + tr.table();
            case ChangeEvent.CreateTable c -> "CreateTable " + c.table();
            case ChangeEvent.DropTable d -> "DropTable " + d.table();
            case ChangeEvent.RenameTable r -> "RenameTable " + r.table() + " -> " + r.newName();
            case ChangeEvent.AddColumn a ->
                    "AddColumn "
                            + a.table()
                            + " "
                            + column(a.column())
                            + (a.column().missingValue() == null
                                    ? ""
                                    : " missing=" + a.column().missingValue())
                            + " after "
                            + a.afterColumn();
            case ChangeEvent.DropColumn d -> "DropColumn " + d.table() + " " + d.columnName();
            case ChangeEvent.RenameColumn r ->
                    "RenameColumn " + r.table() + " " + r.oldName() + " -> " + r.newName();
            case ChangeEvent.AlterColumnType t ->
                    "AlterColumnType " + t.table() + " " + column(t.column());
        };
    }

    private static String column(Column c) {
        return c.name() + " " + c.nativeType() + (c.nullable() ? " NULL" : " NOT NULL");
    }

    private static String text(Row row) {
        return row.toString();
    }
}
