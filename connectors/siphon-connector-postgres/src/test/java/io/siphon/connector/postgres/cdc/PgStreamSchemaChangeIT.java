package io.siphon.connector.postgres.cdc;

import static io.siphon.connector.postgres.cdc.Cdc.withoutMeta;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.AlterColumnType;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.RenameColumn;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.StreamStart;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schema changes made while the stream runs arrive before the first row that needs them; rows of
 * transactions from before the stream was opened are mapped onto the schema it was opened with.
 */
class PgStreamSchemaChangeIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final EventMeta NONE = EventMeta.NONE;
    private static final TableId T = TableId.of("public", "t");

    private static Column column(String name, DataType type, String nativeType) {
        return new Column(name, type, true, nativeType);
    }

    @Test
    void addDropWidenAndRenameArriveBeforeTheRowsThatNeedThem() {
        String db = PG.server().createDatabase("ddl");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, name varchar(10), n int,"
                                + " gone text)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server()
                        .execute(
                                db,
                                "INSERT INTO public.t VALUES (1, 'a', 1, 'x')",
                                "ALTER TABLE public.t ADD COLUMN extra int",
                                "INSERT INTO public.t VALUES (2, 'b', 2, 'y', 20)",
                                "ALTER TABLE public.t DROP COLUMN gone",
                                "INSERT INTO public.t VALUES (3, 'c', 3, 30)",
                                "ALTER TABLE public.t ALTER COLUMN name TYPE varchar(50)",
                                "INSERT INTO public.t VALUES (4, 'longer than ten chars', 4, 40)",
                                "ALTER TABLE public.t ALTER COLUMN n TYPE bigint",
                                "INSERT INTO public.t VALUES (5, 'e', 5000000000, 50)",
                                "ALTER TABLE public.t RENAME COLUMN extra TO bonus",
                                "INSERT INTO public.t VALUES (6, 'f', 6, 60)",
                                "UPDATE public.t SET bonus = 61 WHERE id = 6");
                List<ChangeEvent> events = Cdc.poll(stream, 12, WAIT);
                assertThat(withoutMeta(events))
                        .containsExactly(
                                new Insert(T, Row.of(1, "a", 1, "x"), NONE),
                                new AddColumn(
                                        T,
                                        column("extra", new DataType.Int32(), "integer"),
                                        "gone",
                                        NONE),
                                new Insert(T, Row.of(2, "b", 2, "y", 20), NONE),
                                new DropColumn(T, "gone", NONE),
                                new Insert(T, Row.of(3, "c", 3, 30), NONE),
                                new AlterColumnType(
                                        T,
                                        column(
                                                "name",
                                                new DataType.StringType(50, false),
                                                "character varying(50)"),
                                        NONE),
                                new Insert(T, Row.of(4, "longer than ten chars", 4, 40), NONE),
                                new AlterColumnType(
                                        T, column("n", new DataType.Int64(), "bigint"), NONE),
                                new Insert(T, Row.of(5, "e", 5_000_000_000L, 50), NONE),
                                new RenameColumn(T, "extra", "bonus", NONE),
                                new Insert(T, Row.of(6, "f", 6L, 60), NONE),
                                new Update(
                                        T,
                                        Row.of(6, null, null, null),
                                        true,
                                        Row.of(6, "f", 6L, 61),
                                        NONE));
                // A schema change carries the position of the transaction whose row needs it.
                assertThat(events.get(1).meta()).isEqualTo(events.get(2).meta());
            }
        }
    }

    @Test
    void rowsFromBeforeTheStreamWasOpenedAreMappedOntoItsSchemaWithoutSchemaChanges() {
        String db = PG.server().createDatabase("replay");
        PG.server().execute(db, "CREATE TABLE public.t (id int PRIMARY KEY, a text, b int, d int)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema before = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(before), null, false);
            PG.server()
                    .execute(
                            db,
                            "INSERT INTO public.t VALUES (1, 'x', 1, 10)",
                            "ALTER TABLE public.t ADD COLUMN c int",
                            "INSERT INTO public.t VALUES (2, 'y', 2, 20, 3)",
                            "ALTER TABLE public.t RENAME COLUMN a TO a2",
                            "ALTER TABLE public.t DROP COLUMN b",
                            "ALTER TABLE public.t ALTER COLUMN d TYPE bigint",
                            "INSERT INTO public.t VALUES (3, 'z', 30, 4)",
                            "UPDATE public.t SET c = 5 WHERE id = 1");
            // A restart discovers today's schema and resumes from an older position.
            TableSchema now = Cdc.table(c, "public.t");
            assertThat(now.columnNames()).containsExactly("id", "a2", "d", "c");
            try (ChangeStream stream = c.streamSource().open(db, List.of(now), start.start())) {
                List<ChangeEvent> events = Cdc.poll(stream, 4, WAIT);
                assertThat(withoutMeta(events))
                        .containsExactly(
                                // Renamed a is found by place (d is older and in the message);
                                // dropped b is left out; c did not exist yet: null.
                                new Insert(T, Row.of(1, "x", 10L, null), NONE),
                                new Insert(T, Row.of(2, "y", 20L, 3), NONE),
                                new Insert(T, Row.of(3, "z", 30L, 4), NONE),
                                new Update(
                                        T,
                                        Row.of(1, null, null, null),
                                        true,
                                        Row.of(1, "x", 10L, 5),
                                        NONE));
            }
        }
    }

    @Test
    void aStreamOpenedWithAnOlderSchemaFirstCatchesUpWithTheCatalog() {
        String db = PG.server().createDatabase("catchup");
        PG.server().execute(db, "CREATE TABLE public.t (id int PRIMARY KEY, a text)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema before = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(before), null, false);
            PG.server()
                    .execute(
                            db,
                            "ALTER TABLE public.t ADD COLUMN b numeric(12,2) NOT NULL DEFAULT 0",
                            "INSERT INTO public.t VALUES (1, 'x', 2.5)");
            try (ChangeStream stream = c.streamSource().open(db, List.of(before), start.start())) {
                List<ChangeEvent> events = Cdc.poll(stream, 2, WAIT);
                assertThat(withoutMeta(events))
                        .containsExactly(
                                new AddColumn(
                                        T,
                                        new Column(
                                                "b",
                                                new DataType.DecimalType(12, 2),
                                                false,
                                                "numeric(12,2)",
                                                new java.math.BigDecimal("0.00")),
                                        "a",
                                        NONE),
                                new Insert(
                                        T, Row.of(1, "x", new java.math.BigDecimal("2.50")), NONE));
                assertThat(events.get(0).meta().position()).isEqualTo(start.start());
            }
        }
    }

    @Test
    void aStreamOpenedWithTheSchemaAsOfItsStartFollowsChangesMadeSinceInOrder() {
        String db = PG.server().createDatabase("history");
        PG.server().execute(db, "CREATE TABLE public.t (id int PRIMARY KEY, a text)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema atStart = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(atStart), null, false);
            // All of it before the stream opens, as while a pipeline is stopped.
            PG.server()
                    .execute(
                            db,
                            "INSERT INTO public.t VALUES (1, 'x')",
                            "ALTER TABLE public.t ADD COLUMN b numeric DEFAULT 1.5",
                            "INSERT INTO public.t VALUES (2, 'y', 2.5)",
                            "ALTER TABLE public.t RENAME COLUMN a TO c",
                            "INSERT INTO public.t VALUES (3, 'z', 3)");
            try (ChangeStream stream =
                    c.streamSource()
                            .open(db, List.of(atStart), start.start(), java.util.Set.of(T))) {
                List<ChangeEvent> events = Cdc.poll(stream, 5, WAIT);

                Column b =
                        new Column(
                                "b",
                                new DataType.DecimalType(-1, -1),
                                true,
                                "numeric",
                                new java.math.BigDecimal("1.5"));
                assertThat(withoutMeta(events))
                        .containsExactly(
                                new Insert(T, Row.of(1, "x"), NONE),
                                new AddColumn(T, b, "a", NONE),
                                new Insert(
                                        T, Row.of(2, "y", new java.math.BigDecimal("2.5")), NONE),
                                new RenameColumn(T, "a", "c", NONE),
                                new Insert(T, Row.of(3, "z", new java.math.BigDecimal("3")), NONE));
                assertThat(stream.safeSchemas().get(T).columnNames())
                        .containsExactly("id", "c", "b");
            }
        }
    }

    @Test
    void generatedColumnsAreNotMistakenForDroppedOnes() {
        String db = PG.server().createDatabase("generated");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY, n int,"
                                + " twice int GENERATED ALWAYS AS (n * 2) STORED, m int)");
        try (PostgresConnector c = Cdc.connector(PG.server(), db, "heartbeat-interval", "0s")) {
            TableSchema t = Cdc.table(c, "public.t");
            StreamStart start = c.streamSource().prepare(db, List.of(t), null, false);
            try (ChangeStream stream = c.streamSource().open(db, List.of(t), start.start())) {
                PG.server()
                        .execute(
                                db,
                                "INSERT INTO public.t (id, n, m) VALUES (1, 2, 3)",
                                "UPDATE public.t SET n = 4 WHERE id = 1");
                assertThat(withoutMeta(Cdc.poll(stream, 2, WAIT)))
                        .containsExactly(
                                new Insert(T, Row.of(1, 2, null, 3), NONE),
                                new Update(
                                        T,
                                        Row.of(1, null, null, null),
                                        true,
                                        Row.of(1, 4, Unchanged.VALUE, 3),
                                        NONE));
            }
        }
    }
}
