package io.siphon.server.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-pipeline and per-table metrics for {@code /actuator/prometheus}, refreshed every two seconds
 * from the running pipelines' progress. A pipeline that stops drops out of the per-run gauges.
 *
 * <ul>
 *   <li>{@code siphon_pipeline_running{pipeline}}: 1 while it runs
 *   <li>{@code siphon_pipeline_failures{pipeline}}: failed runs since the server started
 *   <li>{@code siphon_table_rows_written{pipeline,table}}: rows written (snapshot and stream)
 *   <li>{@code siphon_table_events{pipeline,table,op}}: change events by operation
 *   <li>{@code siphon_table_snapshot_progress{pipeline,table}}: share of snapshot chunks done, 0..1
 *   <li>{@code siphon_table_resnapshot_progress{pipeline,table,reason}}: share of chunks done of a
 *       table being copied again while the stream runs, 0..1; present only during the copy
 *   <li>{@code siphon_pipeline_events_per_second{pipeline}}
 *   <li>{@code siphon_pipeline_lag_seconds{pipeline,quantile}}: commit at the source to commit at
 *       the target, p50 and p99
 *   <li>{@code siphon_pipeline_backlog_bytes{pipeline}}: source log not yet acknowledged
 * </ul>
 */
@Component
class PipelineMetrics {

    private final PipelineService pipelines;
    private final MultiGauge running;
    private final MultiGauge failures;
    private final MultiGauge rows;
    private final MultiGauge events;
    private final MultiGauge snapshot;
    private final MultiGauge resnapshot;
    private final MultiGauge rate;
    private final MultiGauge lag;
    private final MultiGauge backlog;

    PipelineMetrics(PipelineService pipelines, MeterRegistry registry) {
        this.pipelines = pipelines;
        running = gauge(registry, "siphon.pipeline.running", "1 while the pipeline runs", null);
        failures =
                gauge(
                        registry,
                        "siphon.pipeline.failures",
                        "Failed runs since the server started",
                        null);
        rows = gauge(registry, "siphon.table.rows.written", "Rows written to the target", null);
        events = gauge(registry, "siphon.table.events", "Change events read, by operation", null);
        snapshot =
                gauge(
                        registry,
                        "siphon.table.snapshot.progress",
                        "Share of snapshot chunks done, 0 to 1",
                        null);
        resnapshot =
                gauge(
                        registry,
                        "siphon.table.resnapshot.progress",
                        "Share of chunks done of a table being copied again while streaming, 0 to"
                                + " 1",
                        null);
        rate =
                gauge(
                        registry,
                        "siphon.pipeline.events.per.second",
                        "Change events read per second",
                        null);
        lag =
                gauge(
                        registry,
                        "siphon.pipeline.lag",
                        "Time from commit at the source to commit at the target",
                        "seconds");
        backlog =
                gauge(
                        registry,
                        "siphon.pipeline.backlog",
                        "Source log not yet acknowledged",
                        "bytes");
        refresh();
    }

    private static MultiGauge gauge(
            MeterRegistry registry, String name, String description, String unit) {
        MultiGauge.Builder b = MultiGauge.builder(name).description(description);
        if (unit != null) {
            b.baseUnit(unit);
        }
        return b.register(registry);
    }

    @Scheduled(fixedDelay = 2000)
    void refresh() {
        Map<String, RunProgress> progress = pipelines.running();
        List<MultiGauge.Row<?>> runningRows = new ArrayList<>();
        List<MultiGauge.Row<?>> rowRows = new ArrayList<>();
        List<MultiGauge.Row<?>> eventRows = new ArrayList<>();
        List<MultiGauge.Row<?>> snapshotRows = new ArrayList<>();
        List<MultiGauge.Row<?>> resnapshotRows = new ArrayList<>();
        List<MultiGauge.Row<?>> rateRows = new ArrayList<>();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> backlogRows = new ArrayList<>();
        progress.forEach(
                (name, p) -> {
                    Tags pipeline = Tags.of("pipeline", name);
                    runningRows.add(MultiGauge.Row.of(pipeline, 1));
                    for (TableProgress t : p.tables()) {
                        Tags table = pipeline.and("table", t.source().toString());
                        rowRows.add(MultiGauge.Row.of(table, t.rowsWritten()));
                        t.events()
                                .forEach(
                                        (op, n) ->
                                                eventRows.add(
                                                        MultiGauge.Row.of(table.and("op", op), n)));
                        snapshotRows.add(
                                MultiGauge.Row.of(
                                        table,
                                        t.done() || t.chunksTotal() == 0
                                                ? (t.done() ? 1.0 : 0.0)
                                                : (double) t.chunksDone() / t.chunksTotal()));
                        if (t.resnapshot() != null) {
                            resnapshotRows.add(
                                    MultiGauge.Row.of(
                                            table.and("reason", t.resnapshot().reason()),
                                            t.resnapshot().fraction()));
                        }
                    }
                    StreamProgress s = p.stream();
                    if (s != null) {
                        rateRows.add(MultiGauge.Row.of(pipeline, s.eventsPerSecond()));
                        if (s.latencyP50Millis() >= 0) {
                            lagRows.add(
                                    MultiGauge.Row.of(
                                            pipeline.and("quantile", "0.5"),
                                            s.latencyP50Millis() / 1000.0));
                            lagRows.add(
                                    MultiGauge.Row.of(
                                            pipeline.and("quantile", "0.99"),
                                            s.latencyP99Millis() / 1000.0));
                        }
                        if (s.backlogBytes() >= 0) {
                            backlogRows.add(MultiGauge.Row.of(pipeline, s.backlogBytes()));
                        }
                    }
                });
        running.register(runningRows, true);
        rows.register(rowRows, true);
        events.register(eventRows, true);
        snapshot.register(snapshotRows, true);
        resnapshot.register(resnapshotRows, true);
        rate.register(rateRows, true);
        lag.register(lagRows, true);
        backlog.register(backlogRows, true);
        List<MultiGauge.Row<?>> failureRows = new ArrayList<>();
        pipelines
                .failures()
                .forEach(
                        (name, n) ->
                                failureRows.add(MultiGauge.Row.of(Tags.of("pipeline", name), n)));
        failures.register(failureRows, true);
    }
}
