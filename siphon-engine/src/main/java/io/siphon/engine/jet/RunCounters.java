package io.siphon.engine.jet;

import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.TableError;
import io.siphon.model.ChangeEvent;
import io.siphon.model.TableId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one run, written by its writers and read by the progress display. Writers find
 * them by the run's key in a JVM-wide registry, because processors are created by Jet from
 * serialized suppliers and cannot be handed objects directly.
 *
 * <p>On a cluster each member would count its own share; runs are single-member today.
 */
public final class RunCounters {

    private static final Map<String, RunCounters> REGISTRY = new ConcurrentHashMap<>();

    private final Map<TableId, LongAdder> rows = new ConcurrentHashMap<>();
    private final Map<TableId, AtomicInteger> chunksDone = new ConcurrentHashMap<>();
    private final Map<TableId, AtomicLong> firstWriteNanos = new ConcurrentHashMap<>();
    private final Map<TableId, AtomicLong> lastDoneNanos = new ConcurrentHashMap<>();

    private final Map<TableId, Map<String, LongAdder>> events = new ConcurrentHashMap<>();
    private final Map<TableId, ResnapshotProgress> resnapshots = new ConcurrentHashMap<>();
    private final Map<TableId, TableError> failures = new ConcurrentHashMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile String acknowledgedPosition;
    private volatile String sourcePosition;
    private volatile long backlogBytes = -1;
    private final EventRate eventRate = new EventRate();
    private final WriterWakeup writerWakeup = new WriterWakeup();
    private final TwoPhaseCommits twoPhaseCommits = new TwoPhaseCommits();

    /** Registers fresh counters under a run key. */
    public static RunCounters register(String runKey) {
        RunCounters c = new RunCounters();
        REGISTRY.put(runKey, c);
        return c;
    }

    /** Removes the counters of a finished run. */
    public static void unregister(String runKey) {
        REGISTRY.remove(runKey);
    }

    /** The counters of a run; fresh, unregistered ones when the run is unknown here. */
    static RunCounters of(String runKey) {
        return REGISTRY.getOrDefault(runKey, new RunCounters());
    }

    /**
     * How the run's stream reader wakes its idle writers: kept with the counters because both are
     * the run's and found by its key.
     */
    WriterWakeup writerWakeup() {
        return writerWakeup;
    }

    /** Which checkpoints the run's two-phase writers have committed. */
    TwoPhaseCommits twoPhaseCommits() {
        return twoPhaseCommits;
    }

    /**
     * Notes the error that stopped a table's reading or writing, so that progress shows the table
     * as failed rather than as waiting; a later successful write of the table (after a retry)
     * clears it.
     */
    void tableFailed(TableId table, io.siphon.spi.SiphonException e) {
        failures.put(table, TableError.of(e));
    }

    /** Clears a table's error once it is written again. */
    void tableWritten(TableId table) {
        if (!failures.isEmpty()) {
            failures.remove(table);
        }
    }

    /** The error that stopped a table, or null. */
    public TableError failure(TableId table) {
        return failures.get(table);
    }

    void rowsWritten(TableId table, int n) {
        tableWritten(table);
        firstWriteNanos.computeIfAbsent(table, t -> new AtomicLong(System.nanoTime()));
        rows.computeIfAbsent(table, t -> new LongAdder()).add(n);
    }

    void chunkDone(TableId table) {
        firstWriteNanos.computeIfAbsent(table, t -> new AtomicLong(System.nanoTime()));
        chunksDone.computeIfAbsent(table, t -> new AtomicInteger()).incrementAndGet();
        lastDoneNanos.computeIfAbsent(table, t -> new AtomicLong()).set(System.nanoTime());
    }

    void eventRead(ChangeEvent event) {
        String op =
                switch (event) {
                    case ChangeEvent.Insert i -> "insert";
                    case ChangeEvent.Update u -> "update";
                    case ChangeEvent.Delete d -> "delete";
                    case ChangeEvent.Truncate t -> "truncate";
                    case ChangeEvent.SchemaChange s -> "schema";
                };
        events.computeIfAbsent(event.table(), t -> new ConcurrentHashMap<>())
                .computeIfAbsent(op, o -> new LongAdder())
                .increment();
        eventRate.record(1);
    }

    void sourcePosition(String position) {
        sourcePosition = position;
    }

    void backlogBytes(long bytes) {
        backlogBytes = bytes;
    }

    /** The position up to which the stream has read, or null. */
    public String sourcePosition() {
        return sourcePosition;
    }

    /** Unacknowledged source log in bytes, -1 when unknown. */
    public long backlogBytes() {
        return backlogBytes;
    }

    /** Change events read per second, averaged over the last few seconds. */
    public double eventsPerSecond() {
        return eventRate.perSecond();
    }

    void acknowledged(String position) {
        acknowledgedPosition = position;
    }

    void visibleAfter(long millis) {
        latency.record(millis);
    }

    /** Change events read per operation (insert, update, delete, truncate, schema) of a table. */
    public Map<String, Long> events(TableId table) {
        Map<String, Long> out = new java.util.TreeMap<>();
        Map<String, LongAdder> byOp = events.get(table);
        if (byOp != null) {
            byOp.forEach((op, n) -> out.put(op, n.sum()));
        }
        return out;
    }

    /** The last source position acknowledged as durable at the target, or null. */
    public String acknowledgedPosition() {
        return acknowledgedPosition;
    }

    /** Commit-to-visible latency percentile in milliseconds (p in 0..100); -1 with no data. */
    public long latencyPercentile(double p) {
        return latency.percentile(p);
    }

    /** Rows written to a table in this run. */
    public long rows(TableId table) {
        LongAdder a = rows.get(table);
        return a == null ? 0 : a.sum();
    }

    /** Chunks of a table finished in this run. */
    public int chunksDone(TableId table) {
        AtomicInteger a = chunksDone.get(table);
        return a == null ? 0 : a.get();
    }

    /**
     * Nanoseconds from the table's first write to its last finished chunk (or to now while it is
     * being written); 0 before its first write.
     */
    public long activeNanos(TableId table, boolean done) {
        AtomicLong first = firstWriteNanos.get(table);
        if (first == null) {
            return 0;
        }
        AtomicLong last = lastDoneNanos.get(table);
        long end = done && last != null ? last.get() : System.nanoTime();
        return Math.max(0, end - first.get());
    }

    void resnapshot(TableId table, ResnapshotProgress progress) {
        if (progress == null) {
            resnapshots.remove(table);
        } else {
            resnapshots.put(table, progress);
        }
    }

    /** The copy of a table the stream is making (a per-table re-snapshot), or null. */
    public ResnapshotProgress resnapshot(TableId table) {
        return resnapshots.get(table);
    }
}
