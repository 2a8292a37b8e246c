package io.siphon.cli.demo;

import io.siphon.cli.terminal.Units;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The streaming half of the demo, driven on a scheduler while the console follows the run: once the
 * run streams, the {@link ShopWorkload} changes the shop for a while; then the target is compared
 * with the source until they are equal (the stream has caught up) or a timeout passes; then the run
 * is stopped. What happens is told through {@code note}.
 */
public final class LiveChanges implements AutoCloseable {

    /** How long the target may take to catch up once the workload stopped. */
    public static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);

    private static final long POLL_MILLIS = 200;
    private static final long COMPARE_MILLIS = 500;
    private static final long LOOKUP_MILLIS = 3000;

    private final ShopDemo demo;
    private final ShopDataset dataset;
    private final PipelineSpec spec;
    private final List<TableId> tables;
    private final PipelineRun run;
    private final Duration duration;
    private final Consumer<String> note;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().daemon().name("demo-live-changes").unstarted(r));

    private ScheduledFuture<?> waiting;
    private ScheduledFuture<?> lookups;
    private ShopWorkload workload;
    private long catchUpStart;
    private volatile Duration catchUp;
    private volatile SiphonException failure;

    private LiveChanges(
            ShopDemo demo,
            ShopDataset dataset,
            PipelineSpec spec,
            List<TableId> tables,
            PipelineRun run,
            Duration duration,
            Consumer<String> note) {
        this.demo = demo;
        this.dataset = dataset;
        this.spec = spec;
        this.tables = List.copyOf(tables);
        this.run = run;
        this.duration = duration;
        this.note = note;
    }

    /** Starts watching the run; the workload begins when the run streams. */
    public static LiveChanges start(
            ShopDemo demo,
            ShopDataset dataset,
            PipelineSpec spec,
            List<TableId> tables,
            PipelineRun run,
            Duration duration,
            Consumer<String> note) {
        LiveChanges live = new LiveChanges(demo, dataset, spec, tables, run, duration, note);
        live.waiting =
                live.scheduler.scheduleWithFixedDelay(
                        live.guarded(live::startWhenStreaming),
                        POLL_MILLIS,
                        POLL_MILLIS,
                        TimeUnit.MILLISECONDS);
        return live;
    }

    /**
     * By when the target had caught up after the workload stopped (the end of the first comparison
     * that found every table equal); null if it did not.
     */
    public Duration catchUp() {
        return catchUp;
    }

    /** Why the live part failed, if it did (the run is then stopped); else null. */
    public SiphonException failure() {
        return failure;
    }

    private void startWhenStreaming() {
        if (run.progress().phase() != RunPhase.STREAMING || workload != null) {
            return;
        }
        waiting.cancel(false);
        note.accept(
                "Streaming. Changing the shop for "
                        + duration.toSeconds()
                        + "s: 2 clients insert, update and delete orders, items and customers;"
                        + " halfway, ALTER TABLE customers ADD COLUMN loyalty_points");
        // A Kafka target's consumer starts at the topics' end: it shows the stream, not the
        // snapshot.
        demo.receivedRecords(spec, tables);
        workload = ShopWorkload.start(demo.source(), ShopDemo.SOURCE_DB, dataset, 2, duration);
        lookups =
                scheduler.scheduleWithFixedDelay(
                        guarded(this::lookup), LOOKUP_MILLIS, LOOKUP_MILLIS, TimeUnit.MILLISECONDS);
        scheduler.schedule(guarded(this::stopWorkload), duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A cache or search target shows what a reader finds while the changes stream; a Kafka target,
     * what a consumer receives.
     */
    private void lookup() {
        demo.lookupNewestOrder(spec).ifPresent(note);
        demo.receivedRecords(spec, tables).forEach(note);
    }

    private void stopWorkload() {
        lookups.cancel(false);
        ShopWorkload.Counts counts = workload.stop();
        demo.receivedRecords(spec, tables).forEach(note);
        note.accept(
                "Workload stopped: "
                        + Units.count(counts.inserts())
                        + " inserts, "
                        + Units.count(counts.updates())
                        + " updates, "
                        + Units.count(counts.deletes())
                        + " deletes. Waiting for the target to catch up...");
        catchUpStart = System.nanoTime();
        waiting =
                scheduler.scheduleWithFixedDelay(
                        guarded(this::stopWhenCaughtUp), 0, COMPARE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void stopWhenCaughtUp() {
        boolean equal = demo.verify(spec, tables).values().stream().allMatch(Comparison::equal);
        // Measured when the comparison ends: the target was equal by then, at the latest.
        Duration waited = Duration.ofNanos(System.nanoTime() - catchUpStart);
        if (equal) {
            catchUp = waited;
            waiting.cancel(false);
            note.accept("The target has caught up; stopping the pipeline");
            run.stop();
        } else if (waited.compareTo(CATCH_UP_TIMEOUT) > 0) {
            waiting.cancel(false);
            note.accept("The target did not catch up; stopping the pipeline");
            run.stop();
        }
    }

    /**
     * A task that ends the demo on any failure. A periodic task that throws is never run again and
     * its exception is kept in a future nobody reads, so without this a bug (a class missing from a
     * jar, say) left the demo waiting for a catch-up that nothing checked any more.
     */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (SiphonException e) {
                fail(e);
            } catch (RuntimeException | Error e) {
                fail(
                        new SiphonException(
                                ErrorCode.INTERNAL_ERROR,
                                "the demo's live workload failed: " + e,
                                e));
            }
        };
    }

    private void fail(SiphonException e) {
        failure = e;
        if (waiting != null) {
            waiting.cancel(false);
        }
        run.stop();
    }

    /** Stops the workload if it still runs, and the scheduler. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (workload != null) {
            workload.close();
        }
    }
}
