package io.siphon.cli;

import static io.siphon.cli.client.SiphonClient.segment;

import io.siphon.cli.client.JsonMappers;
import io.siphon.cli.terminal.TextTable;
import io.siphon.cli.terminal.Units;
import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableError;
import io.siphon.engine.TableProgress;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * {@code siphon pipelines ...}: the pipelines a server runs, from specs whose source and sink name
 * stored connections.
 */
@Command(
        name = "pipelines",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        scope = ScopeType.INHERIT,
        description = {
            "Manages the pipelines of a Siphon server: create from a spec, start, stop, watch.",
            "A spec is the YAML (or JSON) that siphon run takes, with source and sink naming"
                    + " stored connections: 'source: {connection: shop, tables: [public.orders]}',"
                    + " 'sink: {connection: warehouse}'."
        })
final class PipelinesCommand {

    private static final String NAME_HELP = "The pipeline's name";

    @Command(name = "list", description = "Lists the pipelines and their states.")
    int list(@Mixin ClientOptions server, @Mixin OutputOptions output) {
        JsonNode pipelines = server.get("/pipelines", "list pipelines");
        return output.show(
                pipelines,
                answer -> {
                    TextTable table =
                            TextTable.ofText(
                                    "name", "state", "source", "sink", "mode", "updated", "error");
                    for (JsonNode p : answer) {
                        JsonNode spec = p.path("spec");
                        table.row(
                                Cells.text(p, "name"),
                                state(p),
                                Cells.text(spec.path("source"), "connection"),
                                Cells.text(spec.path("sink"), "connection"),
                                Cells.text(spec, "mode"),
                                Cells.time(p, "updatedAt"),
                                Cells.text(p.path("lastError"), "code"));
                    }
                    return table.lines();
                });
    }

    @Command(name = "get", description = "Shows a pipeline: its state, last error and spec.")
    int get(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode pipeline = server.get("/pipelines/" + segment(name), "read pipeline " + name);
        return output.show(
                pipeline,
                p -> {
                    List<String> lines = new ArrayList<>();
                    lines.add(
                            Cells.text(p, "name")
                                    + "  "
                                    + state(p)
                                    + " (should be "
                                    + Cells.text(p, "desiredState").toLowerCase(Locale.ROOT)
                                    + "), created "
                                    + Cells.time(p, "createdAt")
                                    + " by "
                                    + Cells.text(p, "createdBy")
                                    + ", updated "
                                    + Cells.time(p, "updatedAt"));
                    lastError(p).ifPresent(lines::add);
                    lines.add("spec:");
                    YAMLMapper.builder()
                            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
                            .build()
                            .writeValueAsString(p.path("spec"))
                            .lines()
                            .forEach(line -> lines.add("  " + line));
                    return lines;
                });
    }

    @Command(
            name = "create",
            description = {
                "Creates a pipeline from a spec; it starts stopped.",
                "The spec is checked strictly: every problem at once, with the nearest valid key"
                        + " for a misspelt one."
            })
    int create(@Mixin ClientOptions server, @Mixin OutputOptions output, @Mixin SpecFile spec) {
        JsonNode created = spec.send(server, "POST", "/pipelines", "create pipelines");
        return output.show(
                created,
                p ->
                        List.of(
                                "Created pipeline "
                                        + Cells.text(p, "name")
                                        + "; siphon pipelines start "
                                        + Cells.text(p, "name")
                                        + " starts it."));
    }

    @Command(name = "update", description = "Replaces the spec of a stopped pipeline.")
    int update(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name,
            @Mixin SpecFile spec) {
        JsonNode updated =
                spec.send(server, "PUT", "/pipelines/" + segment(name), "change pipeline " + name);
        return output.show(
                updated, p -> List.of("Updated pipeline " + Cells.text(p, "name") + "."));
    }

    @Command(
            name = "start",
            description = {
                "Starts a pipeline; it runs until stopped, also across server restarts.",
                "Returns at once; siphon pipelines status shows how it goes."
            })
    int start(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode started =
                server.post(
                        "/pipelines/" + segment(name) + "/start", null, "start pipeline " + name);
        return output.show(
                started,
                p ->
                        List.of(
                                "Starting pipeline "
                                        + name
                                        + "; siphon pipelines status "
                                        + name
                                        + " shows its progress."));
    }

    @Command(
            name = "stop",
            description =
                    "Stops a pipeline cleanly and returns once it has stopped; a start resumes it.")
    int stop(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode stopped =
                server.post("/pipelines/" + segment(name) + "/stop", null, "stop pipeline " + name);
        return output.show(
                stopped, p -> List.of("Stopped pipeline " + name + " (" + state(p) + ")."));
    }

    @Command(
            name = "resnapshot",
            description = {
                "Without --table: makes a stopped pipeline copy its tables again at its next"
                        + " start. Drops its change stream at the source, forgets its positions and"
                        + " empties its targets: the way out of a lost stream position"
                        + " (POSITION_LOST).",
                "With --table: copies those tables again while the pipeline streams on (running"
                        + " or not); `siphon pipelines status` shows the progress."
            })
    int resnapshot(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name,
            @Option(
                            names = "--table",
                            paramLabel = "TABLE",
                            description =
                                    "A table to copy again while streaming, as schema.table;"
                                            + " repeat for more tables")
                    List<String> tables) {
        if (tables != null && !tables.isEmpty()) {
            JsonNode pipeline =
                    server.post(
                            "/pipelines/" + segment(name) + "/resnapshot",
                            Map.of("tables", tables),
                            "re-snapshot tables of pipeline " + name);
            return output.show(
                    pipeline,
                    p ->
                            List.of(
                                    "Pipeline "
                                            + name
                                            + " copies "
                                            + String.join(", ", tables)
                                            + " again while it streams; siphon pipelines status "
                                            + name
                                            + " shows the progress."));
        }
        JsonNode pipeline =
                server.post(
                        "/pipelines/" + segment(name) + "/resnapshot",
                        null,
                        "resnapshot pipeline " + name);
        return output.show(
                pipeline,
                p ->
                        List.of(
                                "Pipeline "
                                        + name
                                        + " copies its tables again at its next start; siphon"
                                        + " pipelines start "
                                        + name
                                        + " starts it."));
    }

    @Command(
            name = "status",
            description = {
                "Shows a pipeline's progress: state and phase, rows and changes per table, where"
                        + " the change stream is, events/s, latency and the last error."
            })
    int status(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode status =
                server.get(
                        "/pipelines/" + segment(name) + "/status",
                        "read the status of pipeline " + name);
        return output.show(status, PipelinesCommand::statusLines);
    }

    /**
     * {@code shop running streaming (run time 5m 02s)}, then the lines {@code siphon status} shows
     * for a local run, then the last error.
     */
    private static List<String> statusLines(JsonNode status) {
        List<String> lines = new ArrayList<>();
        String headline = Cells.text(status, "name") + "  " + state(status);
        if (status.path("phase").isNull() || status.path("phase").isMissingNode()) {
            lines.add(headline + "  (it has not run yet)");
        } else {
            RunProgress progress = progress(status);
            lines.add(
                    headline
                            + "  "
                            + progress.phase().name().toLowerCase(Locale.ROOT)
                            + "  (run time "
                            + Units.duration(progress.elapsed())
                            + ")");
            lines.addAll(StatusCommand.progressLines(progress));
        }
        lastError(status).ifPresent(lines::add);
        return lines;
    }

    /** The server's status as the engine's progress record, which the status lines are made of. */
    private static RunProgress progress(JsonNode status) {
        List<TableProgress> tables = new ArrayList<>();
        for (JsonNode t : status.path("tables")) {
            Map<String, Long> events = new LinkedHashMap<>();
            t.path("events")
                    .properties()
                    .forEach(e -> events.put(e.getKey(), e.getValue().asLong()));
            tables.add(
                    new TableProgress(
                            TableId.parse(t.path("source").asString(), "public"),
                            TableId.parse(t.path("target").asString(), "public"),
                            t.path("chunksTotal").asInt(),
                            t.path("chunksDone").asInt(),
                            t.path("rowsEstimated").asLong(),
                            t.path("rowsWritten").asLong(),
                            false,
                            Duration.ZERO,
                            t.path("done").asBoolean(),
                            events,
                            t.path("resnapshot").isObject()
                                    ? JsonMappers.compact()
                                            .treeToValue(
                                                    t.path("resnapshot"), ResnapshotProgress.class)
                                    : null,
                            t.path("error").isObject()
                                    ? new TableError(
                                            ErrorCode.valueOf(
                                                    t.path("error").path("code").asString()),
                                            t.path("error").path("message").asString())
                                    : null));
        }
        JsonNode stream = status.path("stream");
        return new RunProgress(
                status.path("name").asString(),
                RunPhase.valueOf(status.path("phase").asString()),
                tables,
                Duration.ofMillis(status.path("elapsedMillis").asLong()),
                stream.isObject()
                        ? JsonMappers.compact().treeToValue(stream, StreamProgress.class)
                        : null);
    }

    @Command(name = "runs", description = "Lists a pipeline's runs, newest first.")
    int runs(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        JsonNode runs =
                server.get(
                        "/pipelines/" + segment(name) + "/runs",
                        "read the runs of pipeline " + name);
        return output.show(
                runs,
                answer -> {
                    TextTable table =
                            TextTable.ofText(
                                    "run", "status", "cause", "by", "started", "ended", "rows",
                                    "events", "error");
                    for (JsonNode run : answer) {
                        table.row(
                                Cells.text(run, "id"),
                                Cells.text(run, "status").toLowerCase(Locale.ROOT),
                                Cells.text(run, "cause").toLowerCase(Locale.ROOT),
                                Cells.text(run, "startedBy"),
                                Cells.time(run, "startedAt"),
                                Cells.time(run, "endedAt"),
                                Units.count(run.path("rowsWritten").asLong()),
                                Units.count(run.path("events").asLong()),
                                Cells.text(run, "errorCode"));
                    }
                    return table.lines();
                });
    }

    /** The {@code -f FILE} of a spec to send, YAML or JSON. */
    static final class SpecFile {

        @Option(
                names = {"-f", "--file"},
                paramLabel = "FILE",
                required = true,
                description = "The pipeline spec, a YAML or JSON file")
        private Path file;

        /** Sends the file as the body of a request, as YAML or JSON by its name. */
        JsonNode send(ClientOptions server, String method, String path, String action) {
            return server.send(
                    method, path, SpecFiles.read(file), SpecFiles.mediaType(file), action);
        }
    }

    /** What {@code validate} checks: a stored pipeline or a spec file, not both. */
    static final class ValidateTarget {

        @Parameters(paramLabel = "NAME", description = "A stored pipeline")
        private String name;

        @ArgGroup(exclusive = false, multiplicity = "1")
        private SpecFile file;
    }

    @Command(
            name = "validate",
            description = {
                "Checks a pipeline, stored or in a file, and both its connections; moves no data.",
                "Prints every problem with its fix, or OK and the tables it would take."
            })
    int validate(
            @Mixin ClientOptions server,
            @Mixin OutputOptions output,
            @ArgGroup(multiplicity = "1") ValidateTarget target) {
        String subject =
                target.file != null ? target.file.file.toString() : "pipeline " + target.name;
        JsonNode report =
                target.file != null
                        ? target.file.send(
                                server, "POST", "/pipelines/validate", "validate pipelines")
                        : server.post(
                                "/pipelines/" + segment(target.name) + "/validate",
                                null,
                                "validate pipeline " + target.name);
        return output.showCheck(
                report,
                subject,
                r -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("OK: " + Units.plural(r.path("tables").size(), "table"));
                    r.path("tables").forEach(t -> lines.add("  " + t.asString()));
                    for (JsonNode u : r.path("unstreamable")) {
                        lines.add(
                                "warning: Table "
                                        + Cells.text(u, "table")
                                        + " "
                                        + Cells.text(u, "reason")
                                        + "; the pipeline leaves it out until then and streams"
                                        + " the others");
                        lines.add("  fix: " + Cells.text(u, "fix"));
                    }
                    for (JsonNode w : r.path("warnings")) {
                        lines.add("warning: " + Cells.text(w, "message"));
                        lines.add("  fix: " + Cells.text(w, "fix"));
                    }
                    return lines;
                });
    }

    @Command(
            name = "delete",
            description = {
                "Deletes a stopped pipeline, with its change stream at the source (for"
                        + " PostgreSQL its replication slot and publication)."
            })
    int delete(
            @Mixin ClientOptions server,
            @Parameters(paramLabel = "NAME", description = NAME_HELP) String name) {
        server.delete("/pipelines/" + segment(name), "delete pipeline " + name);
        server.out().println("Deleted pipeline " + name + ".");
        return SiphonCli.EXIT_OK;
    }

    /** {@code running}: a pipeline's state, as the other lines write words. */
    private static String state(JsonNode pipeline) {
        return Cells.text(pipeline, "state").toLowerCase(Locale.ROOT);
    }

    /** {@code last error: [CODE] message (at ...)}, when there is one. */
    private static Optional<String> lastError(JsonNode pipeline) {
        JsonNode error = pipeline.path("lastError");
        if (!error.isObject()) {
            return Optional.empty();
        }
        return Optional.of(
                "  last error: ["
                        + Cells.text(error, "code")
                        + "] "
                        + Cells.text(error, "message")
                        + " (at "
                        + Cells.time(error, "at")
                        + ")");
    }
}
