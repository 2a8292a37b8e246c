package io.siphon.engine.jet;

import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.state.ChunkRecord;
import io.siphon.engine.state.ChunkStatus;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.state.TableCopyRecord;
import io.siphon.engine.state.TableCopyStatus;
import io.siphon.model.ChangeEvent;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.Capability;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Connector;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies tables again while the stream runs (per-table re-snapshots), with watermarks in the stream
 * as Netflix's DBLog does. Used by the stream reader on its own thread.
 *
 * <p>A copy first puts a {@code Truncate} of the table into the stream: every change after it is
 * applied to an empty target. Then, one chunk at a time, the source reads the chunk between a low
 * and a high watermark written into its log ({@link ChangeStream#readBetweenWatermarks}). A change
 * of one of the chunk's keys that the stream returns between the two watermarks wins: the chunk's
 * row for that key is dropped, because it may be older than the change. When the high watermark
 * arrives, the chunk's remaining rows are put into the stream right there, as upserts, so that
 * every key sees its changes in source order at the target: changes before the low watermark are
 * older than the chunk's row, changes after the high one newer. Nothing pauses the stream: other
 * tables' changes flow between and during the chunks.
 *
 * <p>Durability: the emptying, each chunk and the end of a copy become durable at the target with
 * the Jet snapshot after they were emitted; the reader then records them in the state store right
 * after the stream position ({@link #commit}). After a crash the stream resumes from the stored
 * position and the copy from its chunks not recorded as done: a chunk read again between new
 * watermarks is exact again, and a table whose emptying was not recorded is emptied again.
 *
 * <p>A table without a primary key is read in one chunk while the source keeps its writers out of
 * the window, and is emptied at that chunk's low watermark instead of before it: a change applied
 * to an emptied keyless table before its rows arrive would double a row.
 *
 * <p>A change of the table's shape during a chunk makes the chunk's rows useless (they have the old
 * columns): the chunk is read again. So does an update with unchanged (TOAST) values between the
 * watermarks, whose row the target could not complete from the dropped chunk row, and a change
 * before the low watermark that the source reports the read did not see ({@link
 * ChangeStream#readMissedEarlierChange}).
 */
final class TableResnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(TableResnapshots.class);
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;
    private static final int MAX_READ_FAILURES = 30;

    /** What becomes durable in the state store once the target has it. */
    sealed interface Step {
        /** The target table was emptied in stream order. */
        record Emptied(long copyId) implements Step {}

        /** The copy a step belongs to. */
        long copyId();

        /** A chunk's rows are at the target. */
        record ChunkDone(long copyId, long snapshotId, SnapshotSplit split, long rows)
                implements Step {}

        /** Every chunk of the copy is at the target. */
        record Finished(long copyId, TableId table) implements Step {}
    }

    /** The copy being made. */
    private static final class Copy {
        final TableCopyRecord record;
        final long snapshotId;
        final Deque<SnapshotSplit> pending;
        final int chunksTotal;
        int chunksDone;
        boolean emptied;

        Copy(TableCopyRecord record, long snapshotId, List<ChunkRecord> chunks, boolean emptied) {
            this.record = record;
            this.snapshotId = snapshotId;
            this.pending = new ArrayDeque<>();
            this.chunksTotal = chunks.size();
            for (ChunkRecord c : chunks) {
                if (c.status() == ChunkStatus.DONE) {
                    chunksDone++;
                } else {
                    pending.add(c.split());
                }
            }
            this.emptied = emptied;
        }

        TableId table() {
            return record.table();
        }
    }

    /** A chunk read between watermarks whose high watermark has not arrived yet. */
    private static final class Window {
        final SnapshotSplit split;
        final String low;
        final String high;
        final Map<Row, Row> rowsByKey;
        final List<Row> keylessRows;
        boolean lowSeen;
        boolean spoiled;

        Window(SnapshotSplit split, String low, String high, TableSchema schema, List<Row> rows) {
            this.split = split;
            this.low = low;
            this.high = high;
            if (schema.hasPrimaryKey()) {
                int[] keys = schema.keyIndexes();
                rowsByKey = new LinkedHashMap<>();
                for (Row row : rows) {
                    rowsByKey.put(key(keys, row), row);
                }
                keylessRows = null;
            } else {
                rowsByKey = null;
                keylessRows = rows;
            }
        }

        List<Row> rows() {
            return rowsByKey != null ? List.copyOf(rowsByKey.values()) : keylessRows;
        }
    }

    private final String pipeline;
    private final int chunkRows;
    private final StateStore state;
    private final Connector connector;
    private final ChangeStream stream;
    private final RunCounters counters;
    private final Map<TableId, TableSchema> schemas;
    private final Deque<TableCopyRecord> queue = new ArrayDeque<>();
    private final List<Step> pendingSteps = new ArrayList<>();
    private final List<Step> emittedSteps = new ArrayList<>();
    private final Set<Long> restarted = new HashSet<>();

    /**
     * Whether this reader takes the pipeline's copy requests: only one reader of a stream read in
     * parts does, so that two never copy the same table.
     */
    private final boolean takesRequests;

    /**
     * Copies finished in the stream whose end is not recorded yet: still open in the state store
     * until then, and not to be taken up again meanwhile.
     */
    private final Set<Long> finishing = new HashSet<>();

    private List<Step> snapshotSteps = List.of();
    private Copy copy;
    private Window window;
    private long nextLook;
    private long retryAt;
    private int failures;

    TableResnapshots(
            String pipeline,
            int chunkRows,
            StateStore state,
            Connector connector,
            ChangeStream stream,
            RunCounters counters,
            Map<TableId, TableSchema> schemas,
            boolean takesRequests) {
        this.pipeline = pipeline;
        this.takesRequests = takesRequests;
        this.chunkRows = chunkRows;
        this.state = state;
        this.connector = connector;
        this.stream = stream;
        this.counters = counters;
        this.schemas = new HashMap<>(schemas);
    }

    /**
     * Whether a copy is under way or waiting: asked for, being read, or with steps that a
     * checkpoint has yet to make durable. The reader then keeps its polls short.
     */
    boolean busy() {
        return copy != null
                || window != null
                || !queue.isEmpty()
                || !pendingSteps.isEmpty()
                || !emittedSteps.isEmpty()
                || !finishing.isEmpty();
    }

    /**
     * What the reader puts into the stream before its next poll: the emptying of a table whose copy
     * starts now. Reads the next chunk between watermarks when no chunk is waiting for its high
     * watermark. Called only when everything produced before has been emitted.
     */
    List<ChangeEvent> beforePoll() {
        lookForRequests();
        if (window != null) {
            return List.of();
        }
        if (copy == null && !startNext()) {
            return List.of();
        }
        List<ChangeEvent> out = new ArrayList<>();
        TableSchema schema = schemas.get(copy.table());
        if (!copy.emptied && schema.hasPrimaryKey()) {
            out.add(new ChangeEvent.Truncate(copy.table(), EventMeta.NONE));
            copy.emptied = true;
            pendingSteps.add(new Step.Emptied(copy.record.id()));
            LOG.info("Re-snapshot of {}: target emptied in stream order", copy.table());
        }
        if (copy.pending.isEmpty()) {
            finish();
            return out;
        }
        if (System.nanoTime() - retryAt < 0) {
            return out;
        }
        SnapshotSplit split = copy.pending.peek();
        String id = UUID.randomUUID().toString();
        try {
            List<Row> rows = stream.readBetweenWatermarks(schema, split, id + "/low", id + "/high");
            window = new Window(split, id + "/low", id + "/high", schema, rows);
            failures = 0;
        } catch (SiphonException e) {
            if (e.retriable()) {
                throw e;
            }
            readFailed(e);
        }
        return out;
    }

    /**
     * Takes the events of one poll, and the watermark the poll stopped at, and returns what the
     * reader emits: the events, minus nothing (changes always pass), plus the chunk's remaining
     * rows after them when the poll stopped at the chunk's high watermark.
     */
    List<ChangeEvent> afterPoll(List<ChangeEvent> events, String watermark) {
        List<ChangeEvent> out = events;
        for (ChangeEvent e : events) {
            track(e);
        }
        if (window != null) {
            for (ChangeEvent e : events) {
                if (!e.table().equals(copy.table())) {
                    continue;
                }
                if (e instanceof ChangeEvent.SchemaChange) {
                    // The chunk was read with the columns the stream had then.
                    window.spoiled = true;
                } else if (window.lowSeen) {
                    supersede(e);
                }
            }
        }
        if (window != null && window.low.equals(watermark)) {
            window.lowSeen = true;
            if (stream.readMissedEarlierChange(window.low)) {
                // A change before the low watermark was not yet visible to the read: its rows
                // may be older than that change, which the stream already let through.
                window.spoiled = true;
            }
            if (window.rowsByKey == null) {
                // A keyless table is emptied at the low watermark of its one chunk, every time it
                // is read: a change applied to the emptied table before the rows arrive would
                // double its row, since keyless rows cannot be matched by key.
                out = new ArrayList<>(events);
                out.add(new ChangeEvent.Truncate(copy.table(), EventMeta.NONE));
                if (!copy.emptied) {
                    copy.emptied = true;
                    pendingSteps.add(new Step.Emptied(copy.record.id()));
                }
            }
        } else if (window != null && window.high.equals(watermark)) {
            out = new ArrayList<>(events);
            closeWindow(out);
        }
        for (TableId table : stream.rewrittenTables()) {
            rewritten(table);
        }
        return out;
    }

    /** The reader emitted everything produced so far: its steps may become durable. */
    void emitted() {
        emittedSteps.addAll(pendingSteps);
        pendingSteps.clear();
    }

    /** At a Jet snapshot: the steps whose rows reach the target with this snapshot. */
    void saveToSnapshot() {
        snapshotSteps = List.copyOf(emittedSteps);
    }

    /**
     * The Jet snapshot completed and its stream position is stored: records its steps. A crash
     * before this point repeats them, which is exact (see the class comment).
     */
    void commit() {
        for (Step step : snapshotSteps) {
            if (restarted.contains(step.copyId())) {
                continue;
            }
            switch (step) {
                case Step.Emptied e ->
                        state.tableCopyStatus(e.copyId(), TableCopyStatus.COPYING, null);
                case Step.ChunkDone c -> state.chunkDone(c.snapshotId(), c.split(), c.rows(), 0);
                case Step.Finished f -> {
                    state.tableCopyStatus(f.copyId(), TableCopyStatus.DONE, null);
                    finishing.remove(f.copyId());
                    // Shown until durable, so that status never reports a copy done too early.
                    if (copy == null || !copy.table().equals(f.table())) {
                        counters.resnapshot(f.table(), null);
                    }
                }
            }
        }
        emittedSteps.subList(0, snapshotSteps.size()).clear();
        snapshotSteps = List.of();
    }

    private void track(ChangeEvent event) {
        if (event instanceof ChangeEvent.CreateTable created) {
            schemas.put(event.table(), created.schema());
        } else if (event instanceof ChangeEvent.SchemaChange change
                && schemas.containsKey(event.table())) {
            schemas.put(event.table(), schemas.get(event.table()).evolve(change));
        }
    }

    /** A change between the chunk's watermarks: it wins over the chunk's row for its key. */
    private void supersede(ChangeEvent event) {
        if (window.rowsByKey == null) {
            // The source keeps changes of a keyless table out of the window; one here means the
            // rows cannot be trusted.
            window.spoiled = true;
            return;
        }
        int[] keys = schemas.get(copy.table()).keyIndexes();
        switch (event) {
            case ChangeEvent.Insert i -> window.rowsByKey.remove(key(keys, i.after()));
            case ChangeEvent.Update u -> {
                window.rowsByKey.remove(key(keys, u.before()));
                window.rowsByKey.remove(key(keys, u.after()));
                for (Object value : u.after().values()) {
                    if (value == Unchanged.VALUE) {
                        window.spoiled = true;
                    }
                }
            }
            case ChangeEvent.Delete d -> window.rowsByKey.remove(key(keys, d.before()));
            case ChangeEvent.Truncate t -> window.rowsByKey.clear();
            case ChangeEvent.SchemaChange s -> window.spoiled = true;
        }
    }

    private void closeWindow(List<ChangeEvent> out) {
        Window w = window;
        window = null;
        if (w.spoiled) {
            LOG.info(
                    "Re-snapshot of {}: chunk {} is read again (the table changed shape, an"
                            + " update kept unchanged values, or a change committed just before"
                            + " the low watermark was not yet visible, while it was read)",
                    copy.table(),
                    w.split.index());
            return;
        }
        List<Row> rows = w.rows();
        for (Row row : rows) {
            out.add(new ChangeEvent.Insert(copy.table(), row, EventMeta.NONE));
        }
        copy.pending.poll();
        copy.chunksDone++;
        pendingSteps.add(
                new Step.ChunkDone(copy.record.id(), copy.snapshotId, w.split, rows.size()));
        publish();
        if (copy.pending.isEmpty()) {
            finish();
        }
    }

    /**
     * A chunk could not be read: most often the source's table has changed shape and the stream has
     * not reached that change yet, so it is tried again a little later; a copy that keeps failing
     * is given up with the error.
     */
    private void readFailed(SiphonException e) {
        failures++;
        if (failures < MAX_READ_FAILURES) {
            LOG.warn(
                    "Re-snapshot of {}: chunk {} could not be read ({}); trying again in a"
                            + " moment",
                    copy.table(),
                    copy.pending.peek().index(),
                    e.toString());
            retryAt = System.nanoTime() + LOOK_EVERY_NANOS;
            return;
        }
        String message =
                "chunk "
                        + copy.pending.peek().index()
                        + " could not be read "
                        + failures
                        + " times: "
                        + e.getMessage()
                        + "; the target table is incomplete until the table is re-snapshotted"
                        + " again";
        LOG.error("Re-snapshot of {} failed: {}", copy.table(), message);
        restarted.add(copy.record.id());
        state.tableCopyStatus(copy.record.id(), TableCopyStatus.FAILED, message);
        counters.resnapshot(copy.table(), null);
        copy = null;
        failures = 0;
    }

    private void finish() {
        pendingSteps.add(new Step.Finished(copy.record.id(), copy.table()));
        finishing.add(copy.record.id());
        LOG.info(
                "Re-snapshot of {} done: {} chunks copied while streaming",
                copy.table(),
                copy.chunksTotal);
        copy = null;
    }

    /** A rewrite at the source: the table is copied again, restarting a copy in progress. */
    private void rewritten(TableId table) {
        LOG.warn(
                "Table {} was rewritten at the source, while streaming or while the pipeline"
                        + " was stopped (a change such as ADD COLUMN ... DEFAULT clock_timestamp()"
                        + " or ALTER COLUMN ... TYPE ... USING gave its rows new values without"
                        + " change events); re-snapshotting that table alone while the others"
                        + " stream on",
                table);
        if (copy != null && copy.table().equals(table)) {
            // Its steps not yet recorded must not mark the new copy; the new one empties the
            // table again after this point of the stream.
            restarted.add(copy.record.id());
            state.tableCopyStatus(
                    copy.record.id(),
                    TableCopyStatus.CANCELLED,
                    "the table was rewritten again during the copy; a new copy follows");
            window = null;
            copy = null;
        }
        state.requestTableCopy(pipeline, table, "rewritten");
        nextLook = 0;
    }

    private void lookForRequests() {
        long now = System.nanoTime();
        if (!takesRequests || now - nextLook < 0) {
            return;
        }
        nextLook = now + LOOK_EVERY_NANOS;
        state.takeFiledRequests(pipeline);
        for (TableCopyRecord r : state.tableCopies(pipeline)) {
            boolean known =
                    (copy != null && copy.record.id() == r.id())
                            || finishing.contains(r.id())
                            || queue.stream().anyMatch(q -> q.id() == r.id());
            if (r.status().open() && !known) {
                queue.add(r);
                counters.resnapshot(
                        r.table(), new ResnapshotProgress(r.reason(), r.status().name(), 0, 0));
            }
        }
    }

    /** Takes the next request and plans it; false when there is none. */
    private boolean startNext() {
        while (!queue.isEmpty()) {
            TableCopyRecord r = queue.poll();
            TableSchema schema = schemas.get(r.table());
            if (schema == null) {
                String message =
                        "table "
                                + r.table()
                                + " is not streamed by pipeline "
                                + pipeline
                                + "; ask for a table its source patterns match";
                LOG.warn("Re-snapshot not done: {}", message);
                state.tableCopyStatus(r.id(), TableCopyStatus.FAILED, message);
                counters.resnapshot(r.table(), null);
                continue;
            }
            if (!connector.capabilities().contains(Capability.WATERMARKS)) {
                String message =
                        "the "
                                + connector.getClass().getSimpleName()
                                + " source cannot copy a table while it streams; copy the"
                                + " pipeline again with a full re-snapshot instead";
                LOG.warn("Re-snapshot of {} not done: {}", r.table(), message);
                state.tableCopyStatus(r.id(), TableCopyStatus.FAILED, message);
                counters.resnapshot(r.table(), null);
                continue;
            }
            copy = plan(r, schema);
            publish();
            LOG.info(
                    "Re-snapshot of {} ({}): {} chunks to copy while streaming",
                    r.table(),
                    r.reason(),
                    copy.pending.size());
            return true;
        }
        return false;
    }

    private Copy plan(TableCopyRecord r, TableSchema schema) {
        if (r.status() == TableCopyStatus.REQUESTED) {
            // Keyless tables are read in one chunk: the source locks the table against writes
            // while it reads, and a row that moves between physical ranges must not be copied
            // twice.
            List<SnapshotSplit> splits =
                    connector
                            .snapshotSource()
                            .planSplits(
                                    schema, schema.hasPrimaryKey() ? chunkRows : Integer.MAX_VALUE);
            long snapshotId = state.planTableCopy(r, splits);
            return new Copy(r, snapshotId, state.chunks(pipeline, snapshotId), false);
        }
        return new Copy(
                r,
                r.snapshotId(),
                state.chunks(pipeline, r.snapshotId()),
                r.status() == TableCopyStatus.COPYING);
    }

    private void publish() {
        counters.resnapshot(
                copy.table(),
                new ResnapshotProgress(
                        copy.record.reason(), "COPYING", copy.chunksTotal, copy.chunksDone));
    }

    private static Row key(int[] keys, Row row) {
        Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = row.get(keys[i]);
        }
        return new Row(values);
    }
}
