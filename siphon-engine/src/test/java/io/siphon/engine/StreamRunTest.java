package io.siphon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.memory.MemoryConnectorFactory;
import io.siphon.engine.memory.MemoryDatabase;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot then stream through Jet with the in-memory connector. */
class StreamRunTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final TableId ORDERS = TableId.of("main", "orders");
    private static final TableId ITEMS = TableId.of("main", "items");

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

    private static TableSchema schema(TableId id) {
        return new TableSchema(
                id,
                List.of(
                        new Column("id", new DataType.Int64(), false, null),
                        Column.of("name", DataType.StringType.unbounded())),
                List.of("id"));
    }

    private static List<Row> rows(long from, long to) {
        List<Row> rows = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            rows.add(Row.of(i, "row " + i));
        }
        return rows;
    }

    private record Names(String pipeline, String source, String target) {
        MemoryDatabase src() {
            return MemoryDatabase.named(source);
        }

        MemoryDatabase dst() {
            return MemoryDatabase.named(target);
        }
    }

    private static Names databases() {
        int n = NAMES.incrementAndGet();
        Names names = new Names("s" + n, "ssrc" + n, "sdst" + n);
        MemoryDatabase src = MemoryDatabase.create(names.source());
        src.put(schema(ORDERS), rows(1, 3_000));
        src.put(schema(ITEMS), rows(1, 50));
        MemoryDatabase.create(names.target());
        MemoryConnectorFactory.resetFailures(names.target(), 0);
        return names;
    }

    private static PipelineSpec spec(Names names, String mode, String extra) {
        return spec(names, mode, extra, "200ms", "20ms");
    }

    private static PipelineSpec spec(
            Names names,
            String mode,
            String extra,
            String checkpointInterval,
            String flushInterval) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: %s
                        source: { type: memory, database: %s }
                        sink: { type: memory, database: %s %s }
                        mode: %s
                        parallelism: 2
                        chunk-rows: 500
                        checkpoint-interval: %s
                        flush-interval: %s
                        discovery-interval: 300ms
                        """
                                .formatted(
                                        names.pipeline(),
                                        names.source(),
                                        names.target(),
                                        extra,
                                        mode,
                                        checkpointInterval,
                                        flushInterval),
                        "test.yaml");
    }

    private static void awaitEqual(Names names) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            for (TableId t : List.of(ORDERS, ITEMS)) {
                                assertThat(names.dst().sortedRows(t))
                                        .as("rows of %s", t)
                                        .isEqualTo(names.src().sortedRows(t));
                            }
                        });
    }

    private static void changeSomething(MemoryDatabase src, long base) {
        for (long i = base; i < base + 200; i++) {
            src.insert(ORDERS, Row.of(i, "new " + i));
        }
        for (long i = 1; i <= 20; i++) {
            src.update(ORDERS, Row.of(i + base / 100, "changed " + base));
        }
        src.delete(ORDERS, base + 3);
        src.delete(ITEMS, base / 1000 + 1);
    }

    @Test
    void snapshotThenStreamKeepsTheTargetExactlyEqual() {
        Names names = databases();
        PipelineRun run = engine.start(spec(names, "snapshot+cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);

        changeSomething(names.src(), 10_000);
        changeSomething(names.src(), 20_000);

        awaitEqual(names);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                Long.valueOf(names.src().logPosition())
                                        .equals(names.src().acknowledged(names.pipeline())));
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
        assertThat(engine.state().offset(names.pipeline()))
                .contains("{\"sequence\":" + names.src().logPosition() + "}");
    }

    @Test
    void aTwoPhaseSinkCommitsAtCheckpointsAndThePositionFollowsItsCommits() {
        Names names = databases();
        PipelineRun run = engine.start(spec(names, "snapshot+cdc", ", two-phase: true"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);

        changeSomething(names.src(), 10_000);
        changeSomething(names.src(), 20_000);

        awaitEqual(names);
        // The reader stores a checkpoint's position only once every writer committed it: it
        // still reaches the end of the log.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                Long.valueOf(names.src().logPosition())
                                        .equals(names.src().acknowledged(names.pipeline())));
        assertThat(MemoryConnectorFactory.preparedCommits(names.target())).isPositive();
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aCaughtUpStreamCommitsWithoutWaitingForTheFlushIntervalOrACheckpoint() {
        Names names = databases();
        // Neither the flush interval nor a checkpoint comes within the test: only the writer's
        // commit once it has caught up with a caught-up stream can make the changes visible.
        PipelineRun first = engine.start(spec(names, "snapshot+cdc", "", "1h", "1h"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> first.progress().phase() == RunPhase.STREAMING);

        changeSomething(names.src(), 10_000);

        awaitEqual(names);
        first.stop();
        assertThat(first.await().status()).isEqualTo(RunStatus.STOPPED);
        // Committed early, stored at the stop: a resumed run neither loses nor repeats a change.
        changeSomething(names.src(), 20_000);
        PipelineRun second = engine.start(spec(names, "snapshot+cdc", "", "1h", "1h"));
        awaitEqual(names);
        second.stop();
        second.await();
    }

    @Test
    void aStoppedPipelineResumesFromItsStoredPositionWithoutLoss() {
        Names names = databases();
        PipelineRun first = engine.start(spec(names, "snapshot+cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> first.progress().phase() == RunPhase.STREAMING);
        changeSomething(names.src(), 10_000);
        awaitEqual(names);
        first.stop();
        first.await();

        changeSomething(names.src(), 20_000);
        PipelineRun second = engine.start(spec(names, "snapshot+cdc", ""));

        awaitEqual(names);
        assertThat(second.progress().phase()).isEqualTo(RunPhase.STREAMING);
        second.stop();
        second.await();
        assertThat(engine.state().chunks(names.pipeline()))
                .as("the second run streams only; it does not snapshot again")
                .allSatisfy(c -> assertThat(c.reads()).isEqualTo(1));
    }

    @Test
    void positionsAreAcknowledgedOnlyForChangesDurableAtTheTarget() {
        Names names = databases();
        // 3,050 snapshot rows, then the sink fails for good after 100 more changes.
        PipelineRun run = engine.start(spec(names, "snapshot+cdc", ", fail-after-rows: 3150"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                run.progress().phase() != RunPhase.SNAPSHOTTING
                                        && run.progress().phase() != RunPhase.CHECKING
                                        && run.progress().phase() != RunPhase.PLANNING
                                        && run.progress().phase() != RunPhase.STARTING);
        changeSomething(names.src(), 10_000);

        RunResult result = run.await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.SINK_WRITE_FAILED);
        long acknowledged = names.src().acknowledged(names.pipeline());
        assertThat(acknowledged).isLessThan(names.src().logPosition());
        MemoryConnectorFactory.resetFailures(names.target(), 0);
        PipelineRun again = engine.start(spec(names, "snapshot+cdc", ""));
        awaitEqual(names);
        again.stop();
        again.await();
    }

    @Test
    void anAddedColumnReachesTheTargetBeforeTheRowsThatUseIt() {
        Names names = databases();
        PipelineRun run = engine.start(spec(names, "snapshot+cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);

        names.src().addColumn(ITEMS, Column.of("color", DataType.StringType.unbounded()));
        names.src().insert(ITEMS, Row.of(1000L, "widget", "red"));
        names.src().update(ITEMS, Row.of(2L, "row 2", "blue"));

        awaitEqual(names);
        run.stop();
        run.await();
    }

    @Test
    void aLostSlotStopsWithPositionLost() {
        Names names = databases();
        PipelineRun first = engine.start(spec(names, "snapshot+cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> first.progress().phase() == RunPhase.STREAMING);
        first.stop();
        first.await();
        names.src().dropSlot(names.pipeline());

        RunResult result = engine.start(spec(names, "snapshot+cdc", "")).await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.POSITION_LOST);
    }

    @Test
    void cdcModeStreamsOnlyChangesFromNowOn() {
        Names names = databases();
        PipelineRun run = engine.start(spec(names, "cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);

        names.src().insert(ORDERS, Row.of(99_999L, "after start"));

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> names.dst().rows(ORDERS).size() == 1);
        assertThat(names.dst().rows(ORDERS)).containsExactly(Row.of(99_999L, "after start"));
        run.stop();
        run.await();
    }

    @Test
    void resnapshotAfterALostSlotRebuildsTheTargetExactly() {
        Names names = databases();
        PipelineSpec spec = spec(names, "snapshot+cdc", "");
        PipelineRun first = engine.start(spec);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> first.progress().phase() == RunPhase.STREAMING);
        first.stop();
        first.await();
        names.src().dropSlot(names.pipeline());
        names.src().delete(ORDERS, 5L);
        assertThat(engine.start(spec).await().error().code()).isEqualTo(ErrorCode.POSITION_LOST);

        engine.resnapshot(spec);
        PipelineRun again = engine.start(spec);

        awaitEqual(names);
        assertThat(names.dst().rows(ORDERS)).noneMatch(r -> r.get(0).equals(5L));
        again.stop();
        again.await();
    }

    @Test
    void dropRemovesTheSlotAndTheStateButKeepsTheTarget() {
        Names names = databases();
        PipelineSpec spec = spec(names, "snapshot+cdc", "");
        PipelineRun run = engine.start(spec);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);
        run.stop();
        run.await();

        engine.drop(spec, false);

        assertThat(names.src().acknowledged(names.pipeline())).isNull();
        assertThat(engine.state().offset(names.pipeline())).isEmpty();
        assertThat(engine.state().runs(names.pipeline())).isEmpty();
        assertThat(StatusFile.read(stateDir, names.pipeline())).isEmpty();
        assertThat(names.dst().rows(ORDERS)).hasSize(3_000);
    }

    @Test
    void progressAndTheStatusFileShowTheStream() {
        Names names = databases();
        PipelineRun run = engine.start(spec(names, "snapshot+cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);

        changeSomething(names.src(), 10_000);
        awaitEqual(names);

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            StreamProgress stream = run.progress().stream();
                            assertThat(stream.acknowledgedPosition())
                                    .isEqualTo("#" + names.src().logPosition());
                            assertThat(stream.sourcePosition())
                                    .isEqualTo("#" + names.src().logPosition());
                            assertThat(stream.latencyP99Millis())
                                    .isGreaterThanOrEqualTo(stream.latencyP50Millis())
                                    .isGreaterThanOrEqualTo(0);
                        });
        TableProgress orders =
                run.progress().tables().stream()
                        .filter(t -> t.source().equals(ORDERS))
                        .findFirst()
                        .orElseThrow();
        assertThat(orders.events())
                .containsEntry("insert", 200L)
                .containsEntry("update", 20L)
                .containsEntry("delete", 1L);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                assertThat(StatusFile.read(stateDir, names.pipeline()))
                                        .hasValueSatisfying(
                                                st ->
                                                        assertThat(st.progress().phase())
                                                                .isEqualTo(RunPhase.STREAMING)));
        run.stop();
        run.await();
        assertThat(StatusFile.read(stateDir, names.pipeline()).orElseThrow().progress().phase())
                .isEqualTo(RunPhase.STOPPED);
    }

    @Test
    void aNewTableIsSnapshottedThenStreamedWithoutARestart() {
        Names names = databases();
        PipelineRun run = engine.start(spec(names, "snapshot+cdc", ""));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.progress().phase() == RunPhase.STREAMING);
        TableId added = TableId.of("main", "added");

        names.src().put(schema(added), rows(1, 1_200));
        names.src().insert(ORDERS, Row.of(77_777L, "meanwhile"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> names.dst().rows(added).size() == 1_200);
        names.src().insert(added, Row.of(5_000L, "streamed"));
        names.src().update(added, Row.of(3L, "changed"));

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(names.dst().sortedRows(added))
                                        .isEqualTo(names.src().sortedRows(added)));
        awaitEqual(names);
        assertThat(run.progress().phase()).isEqualTo(RunPhase.STREAMING);
        assertThat(run.progress().tables())
                .extracting(TableProgress::source)
                .contains(added, ORDERS);
        run.stop();
        run.await();
    }
}
