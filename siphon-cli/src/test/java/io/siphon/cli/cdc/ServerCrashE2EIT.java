package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ServerProcess;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code siphon server} in its own JVM runs a snapshot+cdc pipeline created over its REST API,
 * between two PostgreSQL servers, while a client keeps changing the source; the server is killed
 * with SIGKILL mid-stream and started again on the same data directory. The pipeline must come back
 * running by itself, catch up, and leave the target exactly equal to the source.
 */
class ServerCrashE2EIT {

    private static final String PIPELINE = "server-crash";
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final int ROWS = 50_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension static final PostgresExtension SOURCE = new PostgresExtension();
    @RegisterExtension static final PostgresExtension TARGET = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void killedMidStreamTheServerResumesThePipelineByItselfAndTheTargetEndsExactlyEqual()
            throws Exception {
        long seed = System.nanoTime();
        System.out.println("ServerCrashE2EIT seed " + seed);
        String sourceDb = SOURCE.server().createDatabase("server_crash_src");
        String targetDb = TARGET.server().createDatabase("server_crash_dst");
        ChangeWorkload.createItems(SOURCE.server(), sourceDb, ROWS);
        Path dataDir = dir.resolve("data");

        try (ChangeWorkload workload = new ChangeWorkload(SOURCE.server(), sourceDb, ROWS, seed)) {
            try (ServerProcess first = server("server-1", dataDir)) {
                createConnection(first, "source", SOURCE.server(), sourceDb);
                createConnection(first, "target", TARGET.server(), targetDb);
                JsonNode created =
                        first.api()
                                .post(
                                        "/pipelines",
                                        Map.of(
                                                "name",
                                                PIPELINE,
                                                "source",
                                                Map.of(
                                                        "connection",
                                                        "source",
                                                        "tables",
                                                        List.of("public.items")),
                                                "sink",
                                                Map.of("connection", "target"),
                                                "mode",
                                                "snapshot+cdc",
                                                "parallelism",
                                                2,
                                                "checkpoint-interval",
                                                "300ms"),
                                        "create the pipeline");
                assertThat(created.get("state").asString()).isEqualTo("STOPPED");
                JsonNode started =
                        first.api().post("/pipelines/" + PIPELINE + "/start", null, "start it");
                assertThat(started.get("desiredState").asString()).isEqualTo("RUNNING");
                awaitStreaming(first);

                long before = workload.transactions();
                Awaitility.await("changes streamed under load")
                        .atMost(Duration.ofSeconds(30))
                        .pollDelay(Duration.ofMillis(500 + new Random(seed).nextInt(2000)))
                        .until(() -> workload.transactions() > before && events(first) > 0);
                first.kill();
            }

            try (ServerProcess second = server("server-2", dataDir, "--log-format", "json")) {
                assertThat(second.out()).doesNotContain("generated password");
                awaitStreaming(second);
                JsonNode pipeline = second.api().get("/pipelines/" + PIPELINE, "get it");
                assertThat(pipeline.get("state").asString()).isEqualTo("RUNNING");
                assertThat(pipeline.get("desiredState").asString()).isEqualTo("RUNNING");
                JsonNode runs =
                        second.api().get("/pipelines/" + PIPELINE + "/runs", "list its runs");
                assertThat(runs.get(0).get("cause").asString()).isEqualTo("RESUME");
                assertThat(runs.get(0).get("status").asString()).isEqualTo("RUNNING");
                assertThat(runs.get(1).get("cause").asString()).isEqualTo("USER");
                assertThat(runs.get(1).get("status").asString()).isEqualTo("INTERRUPTED");

                workload.close();
                Awaitility.await("target equal to source")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(
                                () -> {
                                    try (Connection from = SOURCE.server().connect(sourceDb);
                                            Connection to = TARGET.server().connect(targetDb)) {
                                        Comparison c =
                                                TableComparator.compare(from, ITEMS, to, ITEMS);
                                        assertThat(c.equal())
                                                .as("seed " + seed + ": " + c)
                                                .isTrue();
                                    }
                                });

                assertThat(second.stop()).as(second.output()).isZero();
                List<JsonNode> log = second.err().lines().map(JSON::readTree).toList();
                assertThat(log)
                        .anySatisfy(
                                line -> {
                                    assertThat(line.get("formattedMessage").asString())
                                            .isEqualTo(
                                                    "Pipeline " + PIPELINE + " started (resume)");
                                    assertThat(line.get("mdc").get("pipeline").asString())
                                            .isEqualTo(PIPELINE);
                                })
                        .anySatisfy(
                                line ->
                                        assertThat(line.get("formattedMessage").asString())
                                                .startsWith(
                                                        "Stopping: the running pipelines stop"));
            }
        }
    }

    private ServerProcess server(String name, Path dataDir, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        return ServerProcess.start(
                dir,
                name,
                Map.of(ServerProcess.ADMIN_PASSWORD_ENV, "admin-password-1"),
                all.toArray(String[]::new));
    }

    private static void createConnection(
            ServerProcess server, String name, PostgresServer pg, String database) {
        JsonNode created =
                server.api()
                        .post(
                                "/connections",
                                Map.of(
                                        "name",
                                        name,
                                        "type",
                                        "postgres",
                                        "config",
                                        Map.of(
                                                "url",
                                                pg.jdbcUrl(database),
                                                "user",
                                                PostgresServer.USER)),
                                "create connection " + name);
        assertThat(created.get("name").asString()).isEqualTo(name);
    }

    private static void awaitStreaming(ServerProcess server) {
        Awaitility.await("pipeline streaming")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(
                        () -> {
                            assertThat(server.process().isAlive()).as(server.output()).isTrue();
                            JsonNode status =
                                    server.api()
                                            .get(
                                                    "/pipelines/" + PIPELINE + "/status",
                                                    "its status");
                            assertThat(status.path("phase").asString(""))
                                    .as(status.toString())
                                    .isEqualTo("STREAMING");
                        });
    }

    /** Change events the running pipeline has read since its run started. */
    private static long events(ServerProcess server) {
        long sum = 0;
        for (JsonNode table :
                server.api()
                        .get("/pipelines/" + PIPELINE + "/status", "its status")
                        .get("tables")) {
            for (JsonNode n : table.get("events")) {
                sum += n.asLong();
            }
        }
        return sum;
    }
}
