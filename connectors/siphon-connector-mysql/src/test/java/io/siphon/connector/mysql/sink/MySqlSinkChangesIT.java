package io.siphon.connector.mysql.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.mysql.MariaDbConnectors;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changes a PostgreSQL source sends that the conformance suite does not: updates that leave large
 * (TOAST) values unchanged, also with a changed key; and the pipeline bookkeeping: forgetting a
 * pipeline, and a sink user who may not create the database siphon.
 */
class MySqlSinkChangesIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    private static TableSchema docs(TableId id) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int32(), false, null),
                        Column.of("title", DataType.StringType.unbounded()),
                        Column.of("body", DataType.StringType.unbounded())),
                List.of("id"));
    }

    @Test
    void unchangedValuesKeepWhatTheTargetHasAlsoWhenTheKeyChanges() throws Exception {
        String db = MARIADB.server().createDatabase("toast");
        TableId id = TableId.of(db, "docs");
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(docs(id), id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(
                        t,
                        List.of(Row.of(1, "one", "long body 1"), Row.of(2, "two", "long body 2")),
                        WriteMode.BULK_APPEND);
                w.flush();
                w.apply(
                        t,
                        List.of(
                                new ChangeEvent.Update(
                                        id,
                                        Row.of(1, null, null),
                                        true,
                                        Row.of(1, "ONE", Unchanged.VALUE),
                                        EventMeta.NONE),
                                new ChangeEvent.Update(
                                        id,
                                        Row.of(2, null, null),
                                        true,
                                        Row.of(20, "TWENTY", Unchanged.VALUE),
                                        EventMeta.NONE),
                                // A row the target does not have: skipped with a warning.
                                new ChangeEvent.Update(
                                        id,
                                        Row.of(3, null, null),
                                        true,
                                        Row.of(3, "three", Unchanged.VALUE),
                                        EventMeta.NONE)));
                w.flush();
            }
        }
        assertThat(rows(db, "SELECT id, title, body FROM docs ORDER BY id"))
                .containsExactly(
                        List.of("1", "ONE", "long body 1"), List.of("20", "TWENTY", "long body 2"));
    }

    @Test
    void forgettingAPipelineRemovesItsPositionsAndChunksOnly() throws Exception {
        String db = MARIADB.server().createDatabase("forget");
        TableId id = TableId.of(db, "docs");
        SnapshotSplit split = new SnapshotSplit(id, 0, "pk", null, null, 1);
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            TableSchema t = c.sink().prepareTable(docs(id), id, "postgres").schema();
            for (String pipeline : List.of("keep", "drop")) {
                try (SinkWriter w = c.sink().openWriter(pipeline)) {
                    assertThat(w.exactlyOnce()).isTrue();
                    w.write(t, List.of(Row.of(1, "a", "b")), WriteMode.UPSERT);
                    w.chunkDone("snap", split, t, 1);
                    w.apply(
                            t,
                            List.of(
                                    new ChangeEvent.Insert(
                                            id,
                                            Row.of(2, "c", "d"),
                                            new EventMeta(
                                                    null, null, null, new ChangeOrder(7, 0)))));
                    w.flush();
                }
            }
            assertThat(c.sink().forgetPipeline("drop")).isEqualTo(2);
            assertThat(c.sink().forgetPipeline("drop")).isZero();
            try (SinkWriter w = c.sink().openWriter("drop")) {
                assertThat(w.chunkApplied("snap", split, t)).isFalse();
            }
            try (SinkWriter w = c.sink().openWriter("keep")) {
                assertThat(w.chunkApplied("snap", split, t)).isTrue();
            }
        }
        assertThat(
                        rows(
                                db,
                                "SELECT pipeline, target_table, commit_position FROM siphon.applied_position"
                                        + " WHERE target_table LIKE '"
                                        + db
                                        + ".%'"))
                .containsExactly(List.of("keep", db + ".docs", "7"));
        assertThat(rows(db, "SELECT COUNT(*) FROM docs")).containsExactly(List.of("2"));
    }

    @Test
    void aSinkUserWhoMayNotCreateTheSiphonDatabaseIsToldWhatToGrant() throws Exception {
        String db = MARIADB.server().createDatabase("no_ledger");
        MARIADB.server()
                .execute(
                        db,
                        "CREATE USER 'writer'@'127.0.0.1' IDENTIFIED BY 'pw'",
                        "GRANT ALL ON " + db + ".* TO 'writer'@'127.0.0.1'");
        // The database siphon may exist from other tests: a fresh server would not have it either.
        try (Connector c =
                MariaDbConnectors.connector(
                        MARIADB.server(), db, Map.of("user", "writer", "password", "pw"))) {
            MARIADB.server().execute(db, "DROP DATABASE IF EXISTS siphon");
            assertThatThrownBy(() -> c.sink().openWriter("p"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining(
                            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON siphon.*");
            try (SinkWriter w = c.sink().openWriter()) {
                assertThat(w.exactlyOnce()).isFalse();
            }
        }
    }

    @Test
    void columnTypesChooseTheTypeOfACreatedTableAndOfAnAddedColumn() throws Exception {
        String db = MARIADB.server().createDatabase("overrides");
        TableId id = TableId.of(db, "docs");
        Map<String, String> overrides =
                Map.of(db + ".docs.title", "varchar(20)", db + ".docs.code", "CHAR(3)");
        try (Connector c =
                MariaDbConnectors.connector(
                        MARIADB.server(), db, Map.of("column-types", overrides))) {
            TableSchema t = c.sink().prepareTable(docs(id), id, "postgres").schema();
            try (SinkWriter w = c.sink().openWriter()) {
                w.write(t, List.of(Row.of(1, "one", "body")), WriteMode.BULK_APPEND);
                w.flush();
                w.applySchemaChange(
                        t,
                        new ChangeEvent.AddColumn(
                                id,
                                Column.of("code", DataType.StringType.unbounded()),
                                "body",
                                EventMeta.NONE));
                w.flush();
            }
            assertThat(
                            rows(
                                    db,
                                    "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                                            + " WHERE TABLE_SCHEMA = '"
                                            + db
                                            + "' AND TABLE_NAME = 'docs' ORDER BY ORDINAL_POSITION"))
                    .containsExactly(
                            List.of("id", "int(11)"),
                            List.of("title", "varchar(20)"),
                            List.of("body", "longtext"),
                            List.of("code", "char(3)"));
            // The table it made fits the same overrides when the pipeline prepares it again.
            assertThat(c.sink().checkTable(docs(id), id, "postgres")).isEmpty();
        }
    }

    private static List<List<String>> rows(String db, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = MARIADB.server().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
