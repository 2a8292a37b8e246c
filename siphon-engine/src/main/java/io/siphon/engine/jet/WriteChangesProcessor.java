package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.model.ChangeEvent;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Applies change batches to the sink. It commits (flushes) on every Jet snapshot barrier, so the
 * reader may then store and acknowledge the position, and in between whenever changes have waited
 * {@code flushMillis}, so that changes become visible quickly on a quiet stream and in large
 * transactions on a busy one.
 *
 * <p>The writer is opened for the pipeline ({@link io.siphon.spi.Sink#openWriter(String)}): an
 * exactly-once sink commits with the rows the place of the last change it applied per table, and on
 * a replay after a restart skips the changes at or before it (each change carries its place in
 * {@link io.siphon.model.EventMeta#order()}); other sinks absorb the replay with idempotent writes.
 */
final class WriteChangesProcessor extends com.hazelcast.jet.core.AbstractProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteChangesProcessor.class);
    private static final int MAX_UNFLUSHED_EVENTS = 50_000;

    private final StreamJob job;
    private final Map<TableId, TableSchema> sourceSchemas = new HashMap<>();
    private final Map<TableId, TableSchema> targetSchemas = new HashMap<>();
    private final Map<TableId, RowProjection> projections = new HashMap<>();
    private final List<Long> unflushedCommitMillis = new ArrayList<>();

    private Connector connector;
    private SinkWriter writer;
    private RunCounters counters;
    private long unflushedEvents;
    private long firstUnflushedNanos;

    WriteChangesProcessor(StreamJob job) {
        this.job = job;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    protected void init(Context context) {
        MDC.put("pipeline", job.pipeline());
        sourceSchemas.putAll(job.sourceSchemas());
        targetSchemas.putAll(job.targetSchemas());
        connector =
                ConnectorRegistry.installed()
                        .factory(job.sink().type())
                        .create(job.sink().config());
        writer = connector.sink().openWriter(job.pipeline());
        counters = RunCounters.of(job.runKey());
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        ChangeBatch batch = (ChangeBatch) item;
        TableId table = batch.table();
        MDC.put("table", table.toString());
        List<ChangeEvent> run = new ArrayList<>();
        for (ChangeEvent event : batch.events()) {
            if (event instanceof ChangeEvent.SchemaChange change) {
                applyRun(table, run);
                run = new ArrayList<>();
                schemaChange(table, change);
            } else {
                run.add(projection(table).project(event));
                if (event.meta().commitTime() != null) {
                    unflushedCommitMillis.add(event.meta().commitTime().toEpochMilli());
                }
            }
        }
        applyRun(table, run);
        if (unflushedEvents >= MAX_UNFLUSHED_EVENTS) {
            flush();
        }
        return true;
    }

    private void applyRun(TableId table, List<ChangeEvent> run) {
        if (run.isEmpty()) {
            return;
        }
        TableSchema target = targetSchemas.get(table);
        if (target == null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "changes arrived for " + table + ", which this pipeline did not prepare");
        }
        writer.apply(target, run);
        if (unflushedEvents == 0) {
            firstUnflushedNanos = System.nanoTime();
        }
        unflushedEvents += run.size();
    }

    private void schemaChange(TableId table, ChangeEvent.SchemaChange change) {
        if (change instanceof ChangeEvent.CreateTable created
                && !targetSchemas.containsKey(table)) {
            // A table new to this pipeline: the sink creates it under the name the rule gives.
            sourceSchemas.put(table, created.schema());
            targetSchemas.put(table, created.schema().withId(job.sink().targetOf(table)));
        }
        if (!sourceSchemas.containsKey(table)) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "a schema change arrived for "
                            + table
                            + ", which this pipeline does not stream; please report it");
        }
        TableSchema newSource = sourceSchemas.get(table).evolve(change);
        sourceSchemas.put(table, newSource);
        switch (job.schemaChanges()) {
            case PROPAGATE -> {
                flush();
                TableSchema newTarget = writer.applySchemaChange(targetSchemas.get(table), change);
                targetSchemas.put(table, newTarget);
                LOG.info("Applied schema change to {}: {}", newTarget.id(), describe(change));
            }
            case IGNORE ->
                    LOG.info(
                            "Ignored schema change of {} (schema-changes: ignore): {}",
                            table,
                            describe(change));
            case FAIL ->
                    throw new SiphonException(
                            ErrorCode.SCHEMA_MISMATCH,
                            "table "
                                    + table
                                    + " changed at the source ("
                                    + describe(change)
                                    + ") and the pipeline has schema-changes: fail; apply the"
                                    + " change at the target and set schema-changes: ignore, or"
                                    + " use propagate");
        }
        projections.remove(table);
    }

    private static String describe(ChangeEvent.SchemaChange change) {
        return change.getClass().getSimpleName();
    }

    private RowProjection projection(TableId table) {
        return projections.computeIfAbsent(
                table, t -> RowProjection.between(sourceSchemas.get(t), targetSchemas.get(t)));
    }

    /** Idle call from Jet: commits changes that waited long enough. */
    @Override
    public boolean tryProcess() {
        if (unflushedEvents > 0
                && System.nanoTime() - firstUnflushedNanos >= job.flushMillis() * 1_000_000) {
            flush();
        }
        return true;
    }

    @Override
    public boolean saveToSnapshot() {
        flush();
        return true;
    }

    private void flush() {
        if (unflushedEvents == 0) {
            return;
        }
        writer.flush();
        long now = System.currentTimeMillis();
        for (long commit : unflushedCommitMillis) {
            counters.visibleAfter(now - commit);
        }
        unflushedCommitMillis.clear();
        unflushedEvents = 0;
    }

    @Override
    public void close() {
        try (Connector c = connector;
                SinkWriter w = writer) {
            MDC.clear();
        }
    }
}
