package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.testkit.pg.PostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon run} with a transform chain in its own JVM, under continuous writes at the source,
 * killed with SIGKILL mid-stream; a last run catches up. Every update of the workload moves its row
 * across the filter's predicate (it adds one to {@code qty}), so inserts and deletes at the target
 * come from updates at the source. The target must end exactly as the chain makes the source's
 * rows, computed here independently in SQL at the source.
 */
class TransformsCrashE2EIT {

    private static final String PIPELINE = "transforms-crash";

    /** The chain's result, written in SQL over the source table. */
    private static final String EXPECTED =
            "SELECT id, encode(sha256(convert_to(name, 'UTF8')), 'hex'), qty, price, updated,"
                    + " (price * 100)::bigint FROM items WHERE qty % 2 = 0 ORDER BY id";

    private static final String ACTUAL =
            "SELECT id, name, qty, price, updated, price_cents FROM items ORDER BY id";

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void killedMidStreamWithAFilterComputeDropAndMaskEndsExactlyAsTheChainMakesTheSource()
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String source = PG.server().createDatabase("crash_tf_src");
        String target = PG.server().createDatabase("crash_tf_dst");
        ChangeWorkload.createItems(PG.server(), source, 20_000);
        System.out.println("TransformsCrashE2EIT seed " + seed);
        Path spec = pipeline(source, target);
        Path stateDir = dir.resolve("state");

        try (ChangeWorkload workload = new ChangeWorkload(PG.server(), source, 20_000, seed)) {
            for (int i = 1; i <= 3; i++) {
                String name = "run-" + i;
                Process run = ChildSiphon.run(dir, name, spec, stateDir);
                ChildSiphon.awaitStreaming(run, stateDir, PIPELINE, dir, name);
                long before = workload.transactions();
                Awaitility.await("workload goes on")
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> workload.transactions() > before + 20 + random.nextInt(200));
                ChildSiphon.kill(run);
            }
        }

        Process last = ChildSiphon.run(dir, "run-last", spec, stateDir);
        ChildSiphon.awaitStreaming(last, stateDir, PIPELINE, dir, "run-last");
        Awaitility.await("target as the chain makes the source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            List<String> expected = rows(source, EXPECTED);
                            List<String> actual = rows(target, ACTUAL);
                            assertThat(actual.size()).as("seed " + seed).isEqualTo(expected.size());
                            assertThat(actual).as("seed " + seed).isEqualTo(expected);
                        });
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private static List<String> rows(String database, String sql) throws Exception {
        return SqlRows.of(PG.server(), database, sql);
    }

    private Path pipeline(String source, String target) throws IOException {
        return Files.writeString(
                dir.resolve("pipeline.yaml"),
                """
                name: %s
                source:
                  type: postgres
                  url: %s
                  user: postgres
                  tables: [public.items]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 5000
                checkpoint-interval: 300ms
                transforms:
                  - filter: { where: "row.qty %% 2 == 0" }
                  - compute: { set: { price_cents: "int(math.round(row.price * 100.0))" } }
                  - drop: { columns: [note] }
                  - mask: { columns: [name], with: sha256 }
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(target)));
    }
}
