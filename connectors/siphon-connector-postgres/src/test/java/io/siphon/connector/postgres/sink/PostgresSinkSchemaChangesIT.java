package io.siphon.connector.postgres.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.testkit.pg.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schema changes made at a PostgreSQL source, applied to the target: each one twice (as a replay
 * after a restart would), and the schema returned must be the one the catalog shows and the one
 * preparing the table from the changed source would give.
 */
class PostgresSinkSchemaChangesIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId SOURCE = TableId.of("public", "accounts");
    private static final TableId TARGET = TableId.of("copy", "accounts");

    private String sourceDb;
    private String targetDb;
    private PostgresConnector source;
    private PostgresConnector sink;
    private TableSchema target;

    @BeforeEach
    void sourceAndTarget() {
        sourceDb = PG.server().createDatabase("ddl_source");
        targetDb = PG.server().createDatabase("ddl_target");
        PG.server()
                .execute(
                        sourceDb,
                        "CREATE TABLE public.accounts (id integer PRIMARY KEY, name varchar(10),"
                                + " score integer, note text)");
        source = Pg.connector(PG.server(), sourceDb);
        sink = Pg.connector(PG.server(), targetDb);
        target = sink.sink().prepareTable(sourceSchema(), TARGET, "postgres").schema();
        applyRows(target, insert(1, "ann", 10, "first"), insert(2, "bob", 20, null));
    }

    @AfterEach
    void close() {
        source.close();
        sink.close();
    }

    private TableSchema sourceSchema() {
        return Pg.discover(source, SOURCE);
    }

    private TableSchema alterSource(String sql) {
        PG.server().execute(sourceDb, sql);
        return sourceSchema();
    }

    private static ChangeEvent insert(Object... after) {
        return new ChangeEvent.Insert(SOURCE, Row.of(after), EventMeta.NONE);
    }

    private void applyRows(TableSchema table, ChangeEvent... changes) {
        try (SinkWriter w = sink.sink().openWriter()) {
            w.apply(table, List.of(changes));
            w.flush();
        }
    }

    private TableSchema applyOnce(TableSchema table, ChangeEvent.SchemaChange change) {
        try (SinkWriter w = sink.sink().openWriter()) {
            return w.applySchemaChange(table, change);
        }
    }

    /** Applies a change, then again as a replay would; both give the same schema. */
    private TableSchema applyTwice(TableSchema table, ChangeEvent.SchemaChange change) {
        TableSchema first = applyOnce(table, change);
        TableSchema catalogAfterFirst = Pg.discover(sink, first.id());
        TableSchema second = applyOnce(table, change);
        assertThat(second).isEqualTo(first);
        assertThat(Pg.discover(sink, first.id())).isEqualTo(catalogAfterFirst);
        return first;
    }

    /** The returned schema is what the catalog shows and what preparing the table would give. */
    private void assertTargetFollows(TableSchema returned, TableSchema changedSource) {
        assertThat(returned).isEqualTo(Pg.discover(sink, returned.id()));
        assertThat(returned)
                .isEqualTo(
                        sink.sink()
                                .prepareTable(changedSource, returned.id(), "postgres")
                                .schema());
    }

    private List<String> select(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = PG.server().connect(targetDb);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i) == null ? "NULL" : rs.getString(i));
                }
                out.add(String.join("|", values));
            }
        }
        return out;
    }

    private static SiphonException refused(Runnable apply) {
        try {
            apply.run();
        } catch (SiphonException e) {
            return e;
        }
        throw new AssertionError("the change was applied but should have been refused");
    }

    @Test
    void anAddedColumnGetsItsNativeTypeAndTakesRows() throws Exception {
        TableSchema changed = alterSource("ALTER TABLE public.accounts ADD COLUMN hosts inet[]");
        TableSchema afterHosts =
                applyTwice(
                        target,
                        new ChangeEvent.AddColumn(
                                SOURCE, changed.column("hosts"), null, EventMeta.NONE));
        assertTargetFollows(afterHosts, changed);

        changed =
                alterSource(
                        "CREATE TYPE public.tier AS ENUM ('free', 'gold');"
                                + " ALTER TABLE public.accounts ADD COLUMN tier public.tier");
        TableSchema afterTier =
                applyTwice(
                        afterHosts,
                        new ChangeEvent.AddColumn(
                                SOURCE, changed.column("tier"), "hosts", EventMeta.NONE));
        assertTargetFollows(afterTier, changed);
        assertThat(
                        select(
                                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                                        + " WHERE attrelid = 'copy.accounts'::regclass AND attnum > 0"
                                        + " AND NOT attisdropped ORDER BY attnum"))
                .as("public is on the search path of this session, so tier is not qualified")
                .containsExactly(
                        "integer", "character varying(10)", "integer", "text", "inet[]", "tier");

        applyRows(
                afterTier,
                insert(3, "cy", 30, null, List.of("10.0.0.1", "::1"), "gold"),
                new ChangeEvent.Update(
                        SOURCE,
                        Row.of(1, null, null, null, null, null),
                        true,
                        Row.of(1, "ann", 11, "first", List.of(), "free"),
                        EventMeta.NONE));
        assertThat(select("SELECT * FROM copy.accounts ORDER BY id"))
                .containsExactly(
                        "1|ann|11|first|{}|free",
                        "2|bob|20|NULL|NULL|NULL",
                        "3|cy|30|NULL|{10.0.0.1,::1}|gold");
    }

    @Test
    void aColumnAddedWithADefaultGivesTheExistingRowsItsValueAndKeepsNoDefault() throws Exception {
        TableSchema changed =
                alterSource("ALTER TABLE public.accounts ADD COLUMN rate numeric DEFAULT 1.5");
        assertThat(changed.column("rate").missingValue())
                .isEqualTo(new java.math.BigDecimal("1.5"));

        TableSchema afterRate =
                applyTwice(
                        target,
                        new ChangeEvent.AddColumn(
                                SOURCE, changed.column("rate"), "note", EventMeta.NONE));

        assertTargetFollows(afterRate, changed);
        applyRows(afterRate, insert(3, "cy", 30, null, new java.math.BigDecimal("2.25")));
        assertThat(select("SELECT id, rate FROM copy.accounts ORDER BY id"))
                .containsExactly("1|1.5", "2|1.5", "3|2.25");
        assertThat(
                        select(
                                "SELECT count(*) FROM information_schema.columns WHERE"
                                        + " table_schema = 'copy' AND column_name = 'rate' AND"
                                        + " column_default IS NULL"))
                .as("the value stays with the existing rows; no default for later inserts")
                .containsExactly("1");
    }

    @Test
    void aDroppedColumnIsDroppedAtTheTarget() throws Exception {
        TableSchema changed = alterSource("ALTER TABLE public.accounts DROP COLUMN note");
        TableSchema after =
                applyTwice(target, new ChangeEvent.DropColumn(SOURCE, "note", EventMeta.NONE));
        assertTargetFollows(after, changed);
        applyRows(after, insert(3, "cy", 30));
        assertThat(select("SELECT * FROM copy.accounts ORDER BY id"))
                .containsExactly("1|ann|10", "2|bob|20", "3|cy|30");
    }

    @Test
    void aRenamedColumnKeepsItsValues() throws Exception {
        TableSchema changed =
                alterSource("ALTER TABLE public.accounts RENAME COLUMN name TO full_name");
        TableSchema after =
                applyTwice(
                        target,
                        new ChangeEvent.RenameColumn(SOURCE, "name", "full_name", EventMeta.NONE));
        assertTargetFollows(after, changed);
        assertThat(select("SELECT id, full_name FROM copy.accounts ORDER BY id"))
                .containsExactly("1|ann", "2|bob");
    }

    @Test
    void wideningTypesIsFollowedWithTheValuesKept() throws Exception {
        TableSchema changed =
                alterSource(
                        "ALTER TABLE public.accounts ALTER COLUMN score TYPE bigint,"
                                + " ALTER COLUMN name TYPE varchar(50),"
                                + " ALTER COLUMN id TYPE bigint");
        TableSchema after = target;
        for (String column : List.of("score", "name", "id")) {
            after =
                    applyTwice(
                            after,
                            new ChangeEvent.AlterColumnType(
                                    SOURCE, changed.column(column), EventMeta.NONE));
        }
        assertTargetFollows(after, changed);
        applyRows(after, insert(5_000_000_000L, "n".repeat(50), 9_000_000_000L, null));
        assertThat(select("SELECT id, length(name), score FROM copy.accounts ORDER BY id"))
                .containsExactly("1|3|10", "2|3|20", "5000000000|50|9000000000");
    }

    @Test
    void aNarrowingIsRefusedWithTheStatementToRunAndFollowedOnceItRan() throws Exception {
        TableSchema changed =
                alterSource("ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(5)");
        ChangeEvent.AlterColumnType change =
                new ChangeEvent.AlterColumnType(SOURCE, changed.column("name"), EventMeta.NONE);
        String statement =
                "ALTER TABLE \"copy\".\"accounts\" ALTER COLUMN \"name\" TYPE character"
                        + " varying(5) USING \"name\"::character varying(5)";
        for (int attempt = 0; attempt < 2; attempt++) {
            SiphonException e = refused(() -> applyOnce(target, change));
            assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThat(e.getMessage())
                    .isEqualTo(
                            "Column name of source table public.accounts changed type, but target"
                                    + " table copy.accounts cannot follow: from character"
                                    + " varying(10) to character varying(5) is not a widening,"
                                    + " so values at the target might not fit and the sink does"
                                    + " not risk them. If they fit, run: "
                                    + statement
                                    + "; and run the pipeline again (it then finds the change"
                                    + " applied)");
        }
        assertThat(Pg.discover(sink, TARGET).column("name").nativeType())
                .isEqualTo("character varying(10)");

        PG.server().execute(targetDb, statement);
        assertTargetFollows(applyTwice(target, change), changed);
    }

    @Test
    void anIncompatibleTypeChangeIsRefused() {
        TableSchema changed =
                alterSource(
                        "ALTER TABLE public.accounts ALTER COLUMN note TYPE integer"
                                + " USING length(note)");
        SiphonException e =
                refused(
                        () ->
                                applyOnce(
                                        target,
                                        new ChangeEvent.AlterColumnType(
                                                SOURCE, changed.column("note"), EventMeta.NONE)));
        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
        assertThat(e.getMessage())
                .contains("from text to integer is not a widening")
                .contains(
                        "run: ALTER TABLE \"copy\".\"accounts\" ALTER COLUMN \"note\" TYPE integer"
                                + " USING \"note\"::integer;");
    }

    @Test
    void aTableCreatedAtTheSourceIsCreatedAtTheTarget() throws Exception {
        PG.server()
                .execute(
                        sourceDb,
                        "CREATE TABLE public.events (id bigint, at timestamptz(3) NOT NULL,"
                                + " payload jsonb, PRIMARY KEY (id, at))");
        TableSchema created = Pg.discover(source, TableId.of("public", "events"));
        TableId events = TableId.of("copy", "events");
        TableSchema named = new TableSchema(events, List.of(), List.of());
        TableSchema after =
                applyTwice(
                        named, new ChangeEvent.CreateTable(created.id(), created, EventMeta.NONE));
        assertTargetFollows(after, created);
        assertThat(after.primaryKey()).containsExactly("id", "at");
    }

    @Test
    void aDroppedSourceTableLeavesTheTargetAndItsRows() throws Exception {
        assertThat(applyTwice(target, new ChangeEvent.DropTable(SOURCE, EventMeta.NONE)))
                .isEqualTo(target);
        assertThat(select("SELECT count(*) FROM copy.accounts")).containsExactly("2");
    }

    @Test
    void aRenamedSourceTableIsRefusedAndTheTargetKeepsItsName() {
        SiphonException e =
                refused(
                        () ->
                                applyOnce(
                                        target,
                                        new ChangeEvent.RenameTable(
                                                SOURCE,
                                                TableId.of("public", "customers"),
                                                EventMeta.NONE)));
        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
        assertThat(e.getMessage())
                .startsWith(
                        "Table public.accounts was renamed to public.customers at the source."
                                + " Target table copy.accounts keeps its name");
        assertThat(Pg.discover(sink, TARGET)).isEqualTo(target);
    }

    @Test
    void droppingAKeyColumnIsRefused() {
        assertThatThrownBy(
                        () ->
                                applyOnce(
                                        target,
                                        new ChangeEvent.DropColumn(SOURCE, "id", EventMeta.NONE)))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
                            assertThat(e.getMessage())
                                    .contains("it is part of the primary key [id]");
                        });
        assertThat(Pg.discover(sink, TARGET)).isEqualTo(target);
    }

    @Test
    void anotherSystemsNativeTypeIsUsedOnlyWhereItMeansTheSameHere() throws Exception {
        // As a MySQL source would describe them: its timestamp is an instant, int(11) is not
        // PostgreSQL syntax, and its json means the same as PostgreSQL's.
        List<Column> added =
                List.of(
                        new Column("seen", new DataType.TimestampTzType(6), true, "timestamp"),
                        new Column("visits", new DataType.Int32(), true, "int(11)"),
                        new Column("extra", new DataType.JsonType(false), true, "json"));
        TableSchema after = target;
        for (Column column : added) {
            after =
                    applyTwice(
                            after, new ChangeEvent.AddColumn(SOURCE, column, null, EventMeta.NONE));
        }
        assertThat(
                        select(
                                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                                        + " WHERE attrelid = 'copy.accounts'::regclass AND attnum > 4"
                                        + " ORDER BY attnum"))
                .containsExactly("timestamp(6) with time zone", "integer", "json");
        assertThat(after.columns().subList(4, 7)).isEqualTo(added);
    }
}
