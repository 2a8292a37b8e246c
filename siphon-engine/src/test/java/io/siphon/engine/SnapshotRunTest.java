package io.siphon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.engine.memory.MemoryConnectorFactory;
import io.siphon.engine.memory.MemoryDatabase;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.engine.state.ChunkRecord;
import io.siphon.engine.state.ChunkStatus;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot path through Jet with the in-memory connector: exactness, resume, retry, stop. */
class SnapshotRunTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final TableId ORDERS = TableId.of("main", "orders");
    private static final TableId ITEMS = TableId.of("main", "items");
    private static final TableId EMPTY = TableId.of("main", "empty");

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

    private static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>(n);
        for (long i = 1; i <= n; i++) {
            rows.add(Row.of(i, "row " + i));
        }
        return rows;
    }

    /** A source with three tables and an empty target; returns [pipeline, source, target]. */
    private static String[] databases(int orderRows) {
        int n = NAMES.incrementAndGet();
        String source = "src" + n;
        String target = "dst" + n;
        MemoryDatabase src = MemoryDatabase.create(source);
        src.put(schema(ORDERS), rows(orderRows));
        src.put(schema(ITEMS), rows(123));
        src.put(schema(EMPTY), List.of());
        MemoryDatabase.create(target);
        MemoryConnectorFactory.resetFailures(target, 0);
        return new String[] {"p" + n, source, target};
    }

    private static PipelineSpec spec(String[] names, String sinkExtra) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: %s
                        source: { type: memory, database: %s }
                        sink: { type: memory, database: %s %s }
                        parallelism: 3
                        chunk-rows: 1000
                        batch-rows: 250
                        """
                                .formatted(names[0], names[1], names[2], sinkExtra),
                        "test.yaml");
    }

    private static void assertTargetEqualsSource(String[] names) {
        for (TableId t : List.of(ORDERS, ITEMS, EMPTY)) {
            assertThat(MemoryDatabase.named(names[2]).sortedRows(t))
                    .as("rows of %s", t)
                    .isEqualTo(MemoryDatabase.named(names[1]).sortedRows(t));
        }
    }

    @Test
    void copiesEveryRowOfEveryTableInManyChunks() {
        String[] names = databases(10_000);

        RunResult result = engine.start(spec(names, "")).await();

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.error()).isNull();
        assertTargetEqualsSource(names);
        assertThat(result.tables())
                .extracting(TableProgress::source, TableProgress::rowsWritten, TableProgress::done)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(EMPTY, 0L, true),
                        org.assertj.core.groups.Tuple.tuple(ITEMS, 123L, true),
                        org.assertj.core.groups.Tuple.tuple(ORDERS, 10_000L, true));
        List<ChunkRecord> chunks = engine.state().chunks(names[0]);
        assertThat(chunks).hasSize(12);
        assertThat(chunks).allSatisfy(c -> assertThat(c.reads()).isEqualTo(1));
    }

    @Test
    void rerunAfterAFailureReadsOnlyUnfinishedChunksAndEndsExact() {
        String[] names = databases(10_000);

        RunResult failed = engine.start(spec(names, ", fail-after-rows: 4500")).await();

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.SINK_WRITE_FAILED);
        List<ChunkRecord> afterFailure = engine.state().chunks(names[0]);
        List<ChunkRecord> doneBefore =
                afterFailure.stream().filter(c -> c.status() == ChunkStatus.DONE).toList();
        assertThat(doneBefore).isNotEmpty().hasSizeLessThan(afterFailure.size());

        RunResult resumed = engine.start(spec(names, "")).await();

        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertTargetEqualsSource(names);
        Map<String, ChunkRecord> byId = new java.util.HashMap<>();
        engine.state().chunks(names[0]).forEach(c -> byId.put(c.split().id(), c));
        assertThat(byId.values())
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.DONE));
        for (ChunkRecord before : doneBefore) {
            ChunkRecord now = byId.get(before.split().id());
            assertThat(now.reads()).as("reads of %s", now.split().id()).isEqualTo(1);
            assertThat(now.doneInRun()).isEqualTo(before.doneInRun());
        }
        assertThat(resumed.tables()).anySatisfy(t -> assertThat(t.resumed()).isTrue());
    }

    @Test
    void retriableFailuresAreRetriedAndTheRunCompletes() {
        String[] names = databases(3_000);
        MemoryConnectorFactory.resetFailures(names[2], 2);

        RunResult result = engine.start(spec(names, "")).await();

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertTargetEqualsSource(names);
    }

    @Test
    void stopEndsTheRunCleanlyAndTheNextRunResumes() {
        String[] names = databases(20_000);
        PipelineRun run = engine.start(spec(names, ", write-delay-ms: 20"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> run.progress().tables().stream().anyMatch(t -> t.chunksDone() > 0));

        run.stop();
        RunResult stopped = run.await();

        assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED);
        RunResult resumed = engine.start(spec(names, "")).await();
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertTargetEqualsSource(names);
    }

    @Test
    void aRerunOfACompletedSnapshotIsRefusedPointingToResnapshotWhichCopiesExactly() {
        String[] names = databases(2_000);
        assertThat(engine.start(spec(names, "")).await().status()).isEqualTo(RunStatus.COMPLETED);

        assertThatThrownBy(() -> engine.start(spec(names, "")))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                .hasMessageContaining("completed its snapshot at ")
                .hasMessageContaining("keep rows deleted at the source since")
                .hasMessageContaining("--resnapshot");

        engine.resnapshot(spec(names, ""));
        RunResult again = engine.start(spec(names, "")).await();

        assertThat(again.status()).isEqualTo(RunStatus.COMPLETED);
        assertTargetEqualsSource(names);
    }

    @Test
    void validateReportsTablesThatMatchNothing() {
        String[] names = databases(10);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: %s
                                source: { type: memory, database: %s, tables: [nosuch] }
                                sink: { type: memory, database: %s }
                                """
                                        .formatted(names[0], names[1], names[2]),
                                "test.yaml");

        ValidationReport report = engine.validate(spec);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
        RunResult result = engine.start(spec).await();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
    }
}
