package io.siphon.server.pipeline;

import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live progress as Server-Sent Events: one stream per pipeline (event {@code status}, a {@link
 * StatusView}) and one for the list (event {@code pipelines}, every pipeline's {@link StatusView}),
 * each sent once a second by one scheduler thread, the status of a pipeline computed once per tick
 * however many clients watch it.
 *
 * <p>A stream ends after {@link #LIFETIME}; browsers (EventSource) then reconnect by themselves,
 * and the new request is signed in and authorized again, so a deleted or demoted user's stream does
 * not outlive its next reconnect. At shutdown every stream is ended first, so the server's graceful
 * stop does not wait for them.
 */
@Component
class PipelineEvents implements SmartLifecycle {

    /** How often a status is sent. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    /** How long one stream lasts before the client reconnects. */
    static final Duration LIFETIME = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(PipelineEvents.class);

    /** A client: one pipeline's stream, or the list's when {@code pipeline} is null. */
    private record Subscription(String pipeline, SseEmitter emitter) {}

    private final PipelineService pipelines;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticks;

    PipelineEvents(PipelineService pipelines) {
        this.pipelines = pipelines;
    }

    /** A stream of one pipeline's status; an unknown pipeline is refused before it opens. */
    SseEmitter pipeline(String name) {
        StatusView first = pipelines.status(name);
        return subscribe(new Subscription(name, new SseEmitter(LIFETIME.toMillis())), first);
    }

    /** A stream of every pipeline's status. */
    SseEmitter all() {
        return subscribe(new Subscription(null, new SseEmitter(LIFETIME.toMillis())), statuses());
    }

    private SseEmitter subscribe(Subscription s, Object first) {
        SseEmitter emitter = s.emitter();
        emitter.onCompletion(() -> subscriptions.remove(s));
        emitter.onTimeout(() -> subscriptions.remove(s));
        emitter.onError(e -> subscriptions.remove(s));
        subscriptions.add(s);
        send(s, first);
        return emitter;
    }

    private void tick() {
        Map<String, StatusView> byPipeline = new HashMap<>();
        List<StatusView> all = null;
        for (Subscription s : subscriptions) {
            try {
                if (s.pipeline() == null) {
                    if (all == null) {
                        all = statuses();
                    }
                    send(s, all);
                } else {
                    send(s, byPipeline.computeIfAbsent(s.pipeline(), pipelines::status));
                }
            } catch (SiphonException e) {
                // The pipeline was deleted while watched: its stream ends.
                s.emitter().complete();
                subscriptions.remove(s);
            } catch (RuntimeException e) {
                LOG.warn("Could not send live status to a client", e);
            }
        }
    }

    private List<StatusView> statuses() {
        List<StatusView> out = new ArrayList<>();
        for (PipelineView p : pipelines.list()) {
            try {
                out.add(pipelines.status(p.name()));
            } catch (SiphonException e) {
                // deleted between the list and its status
            }
        }
        return out;
    }

    private void send(Subscription s, Object data) {
        try {
            s.emitter()
                    .send(
                            SseEmitter.event()
                                    .name(s.pipeline() == null ? "pipelines" : "status")
                                    .data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            // The client went away; the emitter's callbacks forget it.
            subscriptions.remove(s);
        }
    }

    @Override
    public synchronized void start() {
        ticks =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "siphon-live-status");
                            t.setDaemon(true);
                            return t;
                        });
        ticks.scheduleWithFixedDelay(
                this::tick, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (ticks != null) {
            ticks.shutdownNow();
            ticks = null;
        }
        subscriptions.forEach(s -> s.emitter().complete());
        subscriptions.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null;
    }

    /** Stops before the web server's graceful shutdown, which would wait for open streams. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
