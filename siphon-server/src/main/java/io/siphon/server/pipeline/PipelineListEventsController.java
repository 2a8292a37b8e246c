package io.siphon.server.pipeline;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Every pipeline's progress as one stream, for the pipeline list. Its own path (not under {@code
 * /pipelines/}, where it would hide a pipeline named {@code events}).
 */
@RestController
class PipelineListEventsController {

    private final PipelineEvents events;

    PipelineListEventsController(PipelineEvents events) {
        this.events = events;
    }

    /**
     * Server-Sent Events: an event {@code pipelines}, the list of every pipeline's status (as
     * {@code GET /api/v1/pipelines/{name}/status}), at once and then every second. A stream lasts a
     * minute; EventSource clients reconnect by themselves.
     */
    @GetMapping(value = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter pipelines() {
        return events.all();
    }
}
