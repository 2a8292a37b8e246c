package io.siphon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.memory.MemoryConnectorFactory;
import io.siphon.engine.memory.MemoryDatabase;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline graphs (union, fan-out) through Jet with the in-memory connector. */
class GraphRunTest {

    private static final TableId ORDERS = TableId.of("main", "orders");

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

    private static TableSchema orders() {
        return new TableSchema(
                ORDERS,
                List.of(
                        new Column("id", new DataType.Int64(), false, null),
                        Column.of("name", DataType.StringType.unbounded())),
                List.of("id"));
    }

    private static List<Row> rows(String prefix, long from, long to) {
        List<Row> rows = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            rows.add(Row.of(i, prefix + " " + i));
        }
        return rows;
    }

    private static MemoryDatabase database(String name, List<Row> rows) {
        MemoryDatabase db = MemoryDatabase.create(name);
        if (rows != null) {
            db.put(orders(), rows);
        }
        MemoryConnectorFactory.resetFailures(name, 0);
        return db;
    }

    private static PipelineGraph graph(String yaml) {
        return PipelineSpecParser.withInstalledConnectors().parseGraph(yaml, "graph.yaml");
    }

    private static final String SETTINGS =
            """
            mode: snapshot+cdc
            parallelism: 2
            chunk-rows: 500
            checkpoint-interval: 200ms
            flush-interval: 20ms
            """;

    /** The source's rows with the region appended, as the union's source column writes them. */
    private static List<Row> tagged(MemoryDatabase db, String region) {
        List<Row> out = new ArrayList<>();
        for (Row r : db.rows(ORDERS)) {
            out.add(Row.of(r.get(0), r.get(1), region));
        }
        return out;
    }

    private static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(
                Comparator.<Row, Long>comparing(r -> (Long) r.get(0))
                        .thenComparing(r -> (String) r.get(2)));
        return out;
    }

    private static void change(MemoryDatabase db, String prefix, long base) {
        for (long i = base; i < base + 100; i++) {
            db.insert(ORDERS, Row.of(i, prefix + " new " + i));
        }
        for (long i = 1; i <= 20; i++) {
            db.update(ORDERS, Row.of(i, prefix + " changed " + base));
        }
        db.delete(ORDERS, base + 3);
        db.delete(ORDERS, base / 1_000 + 50);
    }

    @Test
    void twoSourcesWithCollidingKeysMergeIntoOneTargetExactlyAndResume() {
        MemoryDatabase eu = database("g-eu", rows("eu", 1, 2_000));
        MemoryDatabase us = database("g-us", rows("us", 1, 1_500));
        MemoryDatabase wh = database("g-wh", null);
        PipelineGraph graph =
                graph(
                        """
                        name: shards
                        %s
                        nodes:
                          - { id: eu, source: { type: memory, database: g-eu } }
                          - { id: us, source: { type: memory, database: g-us } }
                          - { id: merged, union: { source-column: region } }
                          - { id: wh, sink: { type: memory, database: g-wh } }
                        edges:
                          - { from: eu, to: merged }
                          - { from: us, to: merged }
                          - { from: merged, to: wh }
                        """
                                .formatted(SETTINGS));

        GraphRun first = engine.start(graph);
        awaitStreaming(first);
        change(eu, "eu", 10_000);
        change(us, "us", 10_000);
        awaitMerged(eu, us, wh);
        first.stop();
        assertThat(first.await())
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.STOPPED));

        // Each source resumes from its own stored position.
        change(eu, "eu", 20_000);
        change(us, "us", 30_000);
        GraphRun second = engine.start(graph);
        awaitMerged(eu, us, wh);
        change(us, "us", 40_000);
        awaitMerged(eu, us, wh);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                Long.valueOf(eu.logPosition())
                                                .equals(eu.acknowledged("shards.eu.wh"))
                                        && Long.valueOf(us.logPosition())
                                                .equals(us.acknowledged("shards.us.wh")));
        second.stop();
        second.await();
        assertThat(engine.state().offset("shards.eu.wh"))
                .contains("{\"sequence\":" + eu.logPosition() + "}");
        assertThat(engine.state().offset("shards.us.wh"))
                .contains("{\"sequence\":" + us.logPosition() + "}");
    }

    @Test
    void aTruncateAtOneSourceOfAUnionStopsItsFlowAndKeepsTheOtherSourcesRows() {
        MemoryDatabase eu = database("t-eu", rows("eu", 1, 300));
        MemoryDatabase us = database("t-us", rows("us", 1, 200));
        MemoryDatabase wh = database("t-wh", null);
        GraphRun run =
                engine.start(
                        graph(
                                """
                                name: truncated
                                %s
                                nodes:
                                  - { id: eu, source: { type: memory, database: t-eu } }
                                  - { id: us, source: { type: memory, database: t-us } }
                                  - { id: merged, union: { source-column: region } }
                                  - { id: wh, sink: { type: memory, database: t-wh } }
                                edges:
                                  - { from: eu, to: merged }
                                  - { from: us, to: merged }
                                  - { from: merged, to: wh }
                                """
                                        .formatted(SETTINGS)));
        awaitStreaming(run);
        awaitMerged(eu, us, wh);

        eu.truncate(ORDERS);

        RunResult euFlow = run.runs().get(0).await();
        assertThat(euFlow.status()).isEqualTo(RunStatus.FAILED);
        assertThat(euFlow.error().getMessage())
                .contains("table main.orders was truncated at the source")
                .contains("also holds the rows of the other sources of this pipeline's union");
        assertThat(wh.rows(ORDERS)).hasSize(500);
        run.stop();
        assertThat(run.runs().get(1).await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void oneSourceFannedOutToTwoSinksGetsEachItsOwnOperators() {
        MemoryDatabase shop = database("f-shop", rows("shop", 1, 1_200));
        MemoryDatabase all = database("f-all", null);
        MemoryDatabase some = database("f-some", null);
        PipelineGraph graph =
                graph(
                        """
                        name: fan
                        %s
                        nodes:
                          - { id: shop, source: { type: memory, database: f-shop } }
                          - { id: low, filter: { where: "row.id < 500" } }
                          - { id: hide, mask: { columns: [name], with: redact } }
                          - { id: all, sink: { type: memory, database: f-all } }
                          - { id: some, sink: { type: memory, database: f-some } }
                        edges:
                          - { from: shop, to: all }
                          - { from: shop, to: low }
                          - { from: low, to: hide }
                          - { from: hide, to: some }
                        """
                                .formatted(SETTINGS));

        GraphRun run = engine.start(graph);
        awaitStreaming(run);
        change(shop, "shop", 10_000);
        for (long i = 490; i <= 510; i++) {
            shop.update(ORDERS, Row.of(i, "moved " + i));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            assertThat(all.sortedRows(ORDERS)).isEqualTo(shop.sortedRows(ORDERS));
                            List<Row> expected =
                                    shop.sortedRows(ORDERS).stream()
                                            .filter(r -> (Long) r.get(0) < 500)
                                            .map(r -> Row.of(r.get(0), "****"))
                                            .toList();
                            assertThat(some.sortedRows(ORDERS)).isEqualTo(expected);
                        });
        run.stop();
        run.await();
    }

    private static void awaitStreaming(GraphRun run) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                run.runs().stream()
                                        .allMatch(r -> r.progress().phase() == RunPhase.STREAMING));
    }

    private static void awaitMerged(MemoryDatabase eu, MemoryDatabase us, MemoryDatabase wh) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            List<Row> expected = new ArrayList<>(tagged(eu, "eu"));
                            expected.addAll(tagged(us, "us"));
                            assertThat(sorted(wh.rows(ORDERS))).isEqualTo(sorted(expected));
                        });
    }
}
