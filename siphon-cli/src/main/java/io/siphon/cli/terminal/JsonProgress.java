package io.siphon.cli.terminal;

import io.siphon.engine.RunProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Progress as JSON lines for scripts ({@code siphon run --json}): one {@code {"event":"progress",
 * "progress":{...}}} object a second, in the shape of the status files and the server's API.
 */
public final class JsonProgress implements ProgressDisplay {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final PrintWriter out;
    private Duration next = Duration.ZERO;

    /** Writes to {@code out}. */
    public JsonProgress(PrintWriter out) {
        this.out = out;
    }

    /** A line a second: asked five times a second, so each comes within 200 ms of its time. */
    @Override
    public long refreshMillis() {
        return 200;
    }

    @Override
    public void update(RunProgress progress) {
        if (progress.elapsed().compareTo(next) >= 0) {
            next = progress.elapsed().plus(INTERVAL);
            line(progress);
        }
    }

    @Override
    public void finish(RunProgress progress) {
        line(progress);
    }

    private void line(RunProgress progress) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "progress");
        line.put("progress", progress);
        out.println(JSON.writeValueAsString(line));
        out.flush();
    }
}
