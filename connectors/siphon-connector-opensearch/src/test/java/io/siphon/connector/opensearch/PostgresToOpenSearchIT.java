package io.siphon.connector.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.siphon.connector.postgres.PostgresConnectorFactory;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.TableFilter;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.opensearch.OpenSearchExtension;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Snapshot plus change data capture from PostgreSQL 17 into OpenSearch through the engine in this
 * JVM: every document ends equal to its source row, decoded by the table's types, across the type
 * matrix, deletes, changed keys, a truncate, schema changes and a restart of the OpenSearch node
 * while streaming; bulk actions the node turns away with 429 are sent again until written; and a
 * type change the mapping cannot take stops with the reindex message.
 */
class PostgresToOpenSearchIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @TempDir static Path stateDir;
    private static SiphonEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void typeMatrixSnapshotAndStreamEndWithEveryDocumentEqualToItsRow() {
        String db = PG.server().createDatabase("pg_os_types");
        PostgresTypeMatrix.sourceStatements().forEach(sql -> PG.server().execute(db, sql));
        PipelineRun run = engine.start(spec("pg-os-types", db, "public.type_matrix", "string"));
        awaitStreaming(run);
        String columns = String.join(", ", PostgresTypeMatrix.columnNames());
        PG.server()
                .execute(
                        db,
                        "INSERT INTO public.type_matrix (id, "
                                + columns
                                + ") SELECT id + 100, "
                                + columns
                                + " FROM public.type_matrix",
                        "DELETE FROM public.type_matrix WHERE id = 2",
                        "UPDATE public.type_matrix SET id = 200 WHERE id = 3");
        awaitEqual(run, db, PostgresTypeMatrix.TABLE);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void keysTruncateSchemaChangesAndANodeRestartWhileStreamingEndEqual() {
        String db = PG.server().createDatabase("pg_os_items");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.items (id int, region text, name text, qty int,"
                                + " price numeric(12,2), tags jsonb, PRIMARY KEY (id, region))",
                        "CREATE TABLE public.events (msg text, n int)",
                        "ALTER TABLE public.events REPLICA IDENTITY FULL",
                        "INSERT INTO public.items SELECT i, 'r' || (i % 3), 'item ' || i, i,"
                                + " i * 1.25, jsonb_build_object('k', i, 'tags',"
                                + " jsonb_build_array('a', i)) FROM generate_series(1, 500) i",
                        "INSERT INTO public.events VALUES ('a', 1), ('b', 2), ('c', 3)");
        PipelineRun run =
                engine.start(spec("pg-os-items", db, "public.items\", \"public.events", null));
        awaitStreaming(run);
        PG.server()
                .execute(
                        db,
                        "UPDATE public.items SET qty = qty * 10 WHERE id % 7 = 0",
                        "DELETE FROM public.items WHERE id BETWEEN 10 AND 20",
                        "UPDATE public.items SET id = id + 1000, region = 'moved' WHERE id = 30",
                        "UPDATE public.items SET region = 'a,b\\\\c' WHERE id = 31",
                        "DELETE FROM public.events WHERE msg = 'b'",
                        "UPDATE public.events SET n = 30 WHERE msg = 'c'",
                        "ALTER TABLE public.items ADD COLUMN note text",
                        "INSERT INTO public.items (id, region, name, note) VALUES"
                                + " (2000, 'r1', 'after add', 'noted')",
                        "ALTER TABLE public.items DROP COLUMN qty",
                        "UPDATE public.items SET name = 'after drop' WHERE id = 1");
        // Mid-stream, with those changes on their way: the writer backs off until it is back.
        OPENSEARCH.server().restart();
        PG.server()
                .execute(
                        db,
                        "UPDATE public.items SET note = 'after restart' WHERE id = 2",
                        "INSERT INTO public.events VALUES ('after restart', 4)");
        awaitEqual(run, db, TableId.of("public", "items"));
        awaitEqual(run, db, TableId.of("public", "events"));
        PG.server()
                .execute(
                        db,
                        "TRUNCATE public.events",
                        "INSERT INTO public.events VALUES ('after truncate', 1)");
        awaitEqual(run, db, TableId.of("public", "events"));
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    /**
     * An index under {@code index.blocks.read_only_allow_delete} (the flood-stage disk block)
     * answers each bulk action with 429: the writer backs off and sends them again, and once the
     * block is lifted every document is written.
     */
    @Test
    void bulkActionsTurnedAwayWith429AreSentAgainUntilWritten() throws Exception {
        TableSchema source =
                new TableSchema(
                        TableId.of("backoff", "items"),
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("name", DataType.StringType.unbounded())),
                        List.of("id"));
        List<Row> rows =
                IntStream.rangeClosed(1, 50).mapToObj(i -> Row.of(i, "item " + i)).toList();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(BulkSender.class);
        logger.addAppender(log);
        try (OpenSearchConnector target =
                (OpenSearchConnector)
                        new OpenSearchConnectorFactory()
                                .create(
                                        OpenSearchUnderTest.config(
                                                OPENSEARCH.server().url(), Map.of()))) {
            TableSchema table = target.sink().prepareTable(source, source.id(), "test").schema();
            String index = target.index(table.id());
            String block = "{\"index.blocks.read_only_allow_delete\": %s}";
            try (OpenSearchHttp http =
                    new OpenSearchHttp(
                            OpenSearchUnderTest.config(OPENSEARCH.server().url(), Map.of()))) {
                assertThat(
                                http.send(
                                                "PUT",
                                                "/" + index + "/_settings",
                                                block.formatted("true"))
                                        .ok())
                        .isTrue();
                try {
                    CompletableFuture<Void> writing =
                            CompletableFuture.runAsync(
                                    () -> {
                                        try (SinkWriter w = target.sink().openWriter()) {
                                            w.write(table, rows, WriteMode.UPSERT);
                                            w.flush();
                                        }
                                    });
                    Awaitility.await("a bulk request turned away with 429")
                            .atMost(Duration.ofMinutes(1))
                            .until(
                                    () ->
                                            writing.isDone()
                                                    || log.list.stream()
                                                            .anyMatch(
                                                                    e ->
                                                                            e.getFormattedMessage()
                                                                                    .contains(
                                                                                            "rejected 50 of 50 bulk actions (429)")));
                    assertThat(writing)
                            .as("the writer waits while the index is blocked")
                            .isNotDone();
                    assertThat(target.rows(table)).isEmpty();
                    http.send("PUT", "/" + index + "/_settings", block.formatted("null"));
                    writing.get(1, TimeUnit.MINUTES);
                } finally {
                    http.send("PUT", "/" + index + "/_settings", block.formatted("null"));
                }
            }
            assertThat(target.rows(table)).containsExactlyInAnyOrderElementsOf(rows);
        } finally {
            logger.detachAppender(log);
        }
    }

    /**
     * A column type change that the index's mapping cannot take (integer to text) stops with
     * SCHEMA_MISMATCH naming the column, the index and {@code siphon resnapshot}; once the index is
     * deleted as the message says, the replayed change creates it anew with the new mapping and the
     * re-snapshot's rows go into it. The sink does not delete the index itself.
     */
    @Test
    void aTypeChangeTheMappingCannotTakeAsksForAReindex() {
        TableSchema source =
                new TableSchema(
                        TableId.of("reindex", "items"),
                        List.of(
                                new Column("id", new DataType.Int32(), false, null),
                                Column.of("n", new DataType.Int32())),
                        List.of("id"));
        ChangeEvent.AlterColumnType toText =
                new ChangeEvent.AlterColumnType(
                        source.id(),
                        Column.of("n", DataType.StringType.unbounded()),
                        EventMeta.NONE);
        try (OpenSearchConnector target =
                        (OpenSearchConnector)
                                new OpenSearchConnectorFactory()
                                        .create(
                                                OpenSearchUnderTest.config(
                                                        OPENSEARCH.server().url(), Map.of()));
                OpenSearchHttp http =
                        new OpenSearchHttp(
                                OpenSearchUnderTest.config(OPENSEARCH.server().url(), Map.of()))) {
            TableSchema table = target.sink().prepareTable(source, source.id(), "test").schema();
            String index = target.index(table.id());
            try (SinkWriter w = target.sink().openWriter()) {
                w.write(table, List.of(Row.of(1, 10)), WriteMode.UPSERT);
                w.flush();
            }
            try (SinkWriter w = target.sink().openWriter()) {
                assertThat(
                                org.assertj.core.api.Assertions.catchThrowableOfType(
                                        SiphonException.class,
                                        () -> w.applySchemaChange(table, toText)))
                        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH))
                        .hasMessageContaining("Column n of table " + table.id())
                        .hasMessageContaining("index " + index + " maps it as")
                        .hasMessageContaining("needs a reindex")
                        .hasMessageContaining("DELETE /" + index)
                        .hasMessageContaining(
                                "siphon resnapshot <pipeline.yaml> --table " + table.id());
            }
            assertThat(http.send("DELETE", "/" + index, null).ok()).isTrue();
            TableSchema after;
            try (SinkWriter w = target.sink().openWriter()) {
                after = w.applySchemaChange(table, toText);
                w.write(after, List.of(Row.of(1, "ten")), WriteMode.UPSERT);
                w.flush();
            }
            assertThat(
                            http.send("GET", "/" + index + "/_mapping", null)
                                    .body()
                                    .path(index)
                                    .path("mappings")
                                    .path("properties")
                                    .path("n")
                                    .path("type")
                                    .asString())
                    .isEqualTo("text");
            assertThat(target.rows(after)).containsExactly(Row.of(1, "ten"));
        }
    }

    private static PipelineSpec spec(String name, String db, String tables, String json) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: %s
                        source:
                          type: postgres
                          url: %s
                          user: postgres
                          tables: ["%s"]
                        sink:
                          type: opensearch
                          url: %s
                          replicas: 0
                          table: "%s.{table}"
                        %s
                        mode: snapshot+cdc
                        checkpoint-interval: 500ms
                        """
                                .formatted(
                                        name,
                                        PG.server().jdbcUrl(db),
                                        tables,
                                        OPENSEARCH.server().url(),
                                        db,
                                        json == null ? "" : "  json: " + json),
                        name + ".yaml");
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(3))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING;
                        });
    }

    /** Waits until the index holds exactly the source table's rows, compared value by value. */
    private static void awaitEqual(PipelineRun run, String db, TableId source) {
        Awaitility.await("index equal to " + source)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .failFast("the pipeline failed", () -> run.progress().phase() == RunPhase.FAILED)
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            TableSchema schema = sourceSchema(db, source);
                            List<List<Object>> expected = comparable(sourceRows(db, schema));
                            List<List<Object>> actual;
                            try (OpenSearchConnector target =
                                    (OpenSearchConnector)
                                            new OpenSearchConnectorFactory()
                                                    .create(
                                                            OpenSearchUnderTest.config(
                                                                    OPENSEARCH.server().url(),
                                                                    Map.of()))) {
                                actual =
                                        comparable(
                                                target.rows(
                                                        schema.withId(
                                                                TableId.of(db, source.table()))));
                            }
                            assertThat(differences(schema, expected, actual)).isEmpty();
                        });
    }

    private static Connector postgres(String db) {
        return new PostgresConnectorFactory()
                .create(
                        Config.of(
                                Map.of("url", PG.server().jdbcUrl(db), "user", "postgres"),
                                new PostgresConnectorFactory().options(),
                                List.of()));
    }

    private static TableSchema sourceSchema(String db, TableId table) {
        try (Connector c = postgres(db)) {
            return c.discover(TableFilter.of(List.of(table.toString()), List.of())).get(0);
        }
    }

    private static List<Row> sourceRows(String db, TableSchema table) {
        List<Row> rows = new ArrayList<>();
        try (Connector c = postgres(db)) {
            SnapshotSource snapshot = c.snapshotSource();
            try (ReadPoint point = snapshot.openReadPoint()) {
                for (SnapshotSplit split : snapshot.planSplits(table, 100_000)) {
                    try (SplitReader reader =
                            snapshot.openSplit(table, split, point.token(), 1000)) {
                        for (RowBatch b = reader.next(); b != null; b = reader.next()) {
                            rows.addAll(b.rows());
                        }
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Each difference between source rows and documents, by the rows' first value (the id): a row
     * missing on either side, or a column whose values differ.
     */
    private static List<String> differences(
            TableSchema schema, List<List<Object>> expected, List<List<Object>> actual) {
        Map<String, List<Object>> want = new java.util.TreeMap<>();
        expected.forEach(r -> want.put(String.valueOf(r.subList(0, keyWidth(schema))), r));
        Map<String, List<Object>> got = new java.util.TreeMap<>();
        actual.forEach(r -> got.put(String.valueOf(r.subList(0, keyWidth(schema))), r));
        List<String> out = new ArrayList<>();
        for (String key : want.keySet()) {
            List<Object> w = want.get(key);
            List<Object> g = got.get(key);
            if (g == null) {
                out.add(key + ": no document");
                continue;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!sameValue(schema.columns().get(i).type(), w.get(i), g.get(i))) {
                    out.add(
                            key
                                    + " "
                                    + schema.columns().get(i).name()
                                    + ": row has "
                                    + w.get(i)
                                    + ", document has "
                                    + g.get(i));
                }
            }
        }
        got.keySet().stream()
                .filter(k -> !want.containsKey(k))
                .forEach(k -> out.add(k + ": document without a row"));
        return out;
    }

    /**
     * Whether a document's value equals the row's: JSON by its content, as an update-by-query (a
     * dropped or renamed column) writes the documents it touches anew, without the source's
     * spacing.
     */
    private static boolean sameValue(DataType type, Object row, Object document) {
        if (type instanceof DataType.JsonType
                && row instanceof String r
                && document instanceof String d) {
            return OpenSearchHttp.JSON.readTree(r).equals(OpenSearchHttp.JSON.readTree(d));
        }
        return java.util.Objects.equals(row, document);
    }

    /** Leading columns that tell rows apart: the key, or all columns of a keyless table. */
    private static int keyWidth(TableSchema schema) {
        return schema.hasPrimaryKey() ? schema.primaryKey().size() : schema.columns().size();
    }

    /** Rows as lists that compare by content, byte arrays included, in a stable order. */
    private static List<List<Object>> comparable(List<Row> rows) {
        return rows.stream()
                .map(r -> byContent(Arrays.asList(r.values())))
                .sorted(Comparator.comparing(Object::toString))
                .toList();
    }

    private static List<Object> byContent(List<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(
                    switch (v) {
                        case byte[] bytes -> "bytes " + HexFormat.of().formatHex(bytes);
                        case List<?> list -> byContent(list);
                        case null -> null;
                        default -> v;
                    });
        }
        return out;
    }
}
