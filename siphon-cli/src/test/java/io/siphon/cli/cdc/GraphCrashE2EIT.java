package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.testkit.pg.PostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon run} with a pipeline graph in its own JVM, under continuous writes at both sources,
 * killed with SIGKILL mid-stream three times; a last run catches up. Two databases with the same
 * {@code items} table and the same ids merge through a union into one target table, with the source
 * in the key; the first one is also fanned out, through a filter, to a second target. Both targets
 * must end exactly as the graph makes the sources' rows.
 */
class GraphCrashE2EIT {

    private static final String PIPELINE = "graph-crash";
    private static final List<String> FLOWS =
            List.of(PIPELINE + ".eu.wh", PIPELINE + ".us.wh", PIPELINE + ".eu.lake");
    private static final String COLUMNS = "id, name, qty, price, updated, note";

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void killedMidStreamAUnionOfShardsAndAFanOutEndExact() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String eu = PG.server().createDatabase("graph_eu");
        String us = PG.server().createDatabase("graph_us");
        String wh = PG.server().createDatabase("graph_wh");
        String lake = PG.server().createDatabase("graph_lake");
        ChangeWorkload.createItems(PG.server(), eu, 10_000);
        ChangeWorkload.createItems(PG.server(), us, 8_000);
        System.out.println("GraphCrashE2EIT seed " + seed);
        Path spec = pipeline(eu, us, wh, lake);
        Path stateDir = dir.resolve("state");

        try (ChangeWorkload euWork = new ChangeWorkload(PG.server(), eu, 10_000, seed);
                ChangeWorkload usWork = new ChangeWorkload(PG.server(), us, 8_000, seed + 1)) {
            for (int i = 1; i <= 3; i++) {
                String name = "run-" + i;
                Process run = ChildSiphon.run(dir, name, spec, stateDir);
                for (String flow : FLOWS) {
                    ChildSiphon.awaitStreaming(run, stateDir, flow, dir, name);
                }
                long before = euWork.transactions() + usWork.transactions();
                Awaitility.await("workload goes on")
                        .atMost(Duration.ofMinutes(1))
                        .until(
                                () ->
                                        euWork.transactions() + usWork.transactions()
                                                > before + 20 + random.nextInt(200));
                ChildSiphon.kill(run);
            }
        }

        Process last = ChildSiphon.run(dir, "run-last", spec, stateDir);
        for (String flow : FLOWS) {
            ChildSiphon.awaitStreaming(last, stateDir, flow, dir, "run-last");
        }
        Awaitility.await("targets as the graph makes the sources")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            List<String> merged =
                                    new ArrayList<>(
                                            rows(eu, "SELECT " + COLUMNS + ", 'eu' FROM items"));
                            merged.addAll(rows(us, "SELECT " + COLUMNS + ", 'us' FROM items"));
                            merged.sort(null);
                            List<String> actual =
                                    rows(wh, "SELECT " + COLUMNS + ", region FROM items");
                            actual.sort(null);
                            assertThat(actual.size()).as("seed " + seed).isEqualTo(merged.size());
                            assertThat(actual).as("seed " + seed).isEqualTo(merged);
                            assertThat(rows(lake, "SELECT " + COLUMNS + " FROM items ORDER BY id"))
                                    .as("seed " + seed)
                                    .isEqualTo(
                                            rows(
                                                    eu,
                                                    "SELECT "
                                                            + COLUMNS
                                                            + " FROM items WHERE qty % 2 = 0"
                                                            + " ORDER BY id"));
                        });
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // Each flow has its own slot at its source; drop removes every one.
        Process drop =
                ChildSiphon.start(
                        dir, "drop", "drop", spec.toString(), "--state-dir", stateDir.toString());
        assertThat(drop.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(drop.exitValue()).as(ChildSiphon.output(dir, "drop")).isZero();
        for (String db : List.of(eu, us)) {
            assertThat(
                            rows(
                                    db,
                                    "SELECT slot_name FROM pg_replication_slots WHERE slot_name"
                                            + " LIKE 'siphon_graph_crash%'"))
                    .isEmpty();
        }
    }

    private static List<String> rows(String database, String sql) throws Exception {
        return SqlRows.of(PG.server(), database, sql);
    }

    private Path pipeline(String eu, String us, String wh, String lake) throws IOException {
        return Files.writeString(
                dir.resolve("pipeline.yaml"),
                """
                name: %s
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 4000
                checkpoint-interval: 300ms
                nodes:
                  - id: eu
                    source: { type: postgres, url: "%s", user: postgres, tables: [public.items] }
                  - id: us
                    source: { type: postgres, url: "%s", user: postgres, tables: [public.items] }
                  - id: merged
                    union: { source-column: region }
                  - id: wh
                    sink: { type: postgres, url: "%s", user: postgres }
                  - id: even
                    filter: { where: "row.qty %% 2 == 0" }
                  - id: lake
                    sink: { type: postgres, url: "%s", user: postgres }
                edges:
                  - { from: eu, to: merged }
                  - { from: us, to: merged }
                  - { from: merged, to: wh }
                  - { from: eu, to: even }
                  - { from: even, to: lake }
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(eu),
                                PG.server().jdbcUrl(us),
                                PG.server().jdbcUrl(wh),
                                PG.server().jdbcUrl(lake)));
    }
}
