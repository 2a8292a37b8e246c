package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.cli.TestConnectors;
import io.siphon.connector.opensearch.OpenSearchConnector;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.testkit.opensearch.OpenSearchExtension;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.CopyCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon run} from PostgreSQL into an OpenSearch node in this JVM, the run in its own JVM,
 * under continuous writes at the source, killed with SIGKILL once mid-snapshot and twice mid-stream
 * at random moments; a last run catches up. Every document must end equal to its source row and the
 * index must hold no other document: the replay after each kill rewrites documents by their key to
 * the values they had, nothing is lost.
 */
class OpenSearchCrashE2EIT {

    private static final String PIPELINE = "opensearch-crash";
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final int ROWS = 10_000;

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @TempDir Path dir;

    @Test
    void killedMidSnapshotAndTwiceMidStreamEndsWithEveryDocumentEqualToItsRow() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String source = PG.server().createDatabase("opensearch_crash_src");
        ChangeWorkload.createItems(PG.server(), source, ROWS);
        System.out.println("OpenSearchCrashE2EIT seed " + seed);
        Path spec = pipeline(source);
        Path stateDir = dir.resolve("state");

        // A bounded rate keeps the index small enough to compare in seconds on a loaded machine.
        try (ChangeWorkload workload = new ChangeWorkload(PG.server(), source, ROWS, seed, 500)) {
            // Ten chunks: the first run dies with a few of them done.
            Process snapshot = ChildSiphon.run(dir, "snapshot", spec, stateDir);
            ChildSiphon.awaitChunksDone(
                    snapshot, stateDir, PIPELINE, dir, "snapshot", 1 + random.nextInt(4));
            ChildSiphon.kill(snapshot);
            for (int i = 1; i <= 2; i++) {
                ChildSiphon.killMidStream(
                        dir, "run-" + i, spec, stateDir, PIPELINE, random, workload::transactions);
            }
        }

        Process last = ChildSiphon.run(dir, "run-last", spec, stateDir);
        ChildSiphon.awaitStreaming(last, stateDir, PIPELINE, dir, "run-last");
        Awaitility.await("OpenSearch equal to the source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            try (Connector pg =
                                            TestConnectors.postgres(PG.server().jdbcUrl(source));
                                    OpenSearchConnector openSearch =
                                            TestConnectors.openSearch(OPENSEARCH.server().url())) {
                                Comparison c =
                                        CopyCheck.compare(
                                                pg, ITEMS, "OpenSearch", ITEMS, openSearch::rows);
                                assertThat(c.equal()).as("seed " + seed + ": " + c).isTrue();
                            }
                        });
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private Path pipeline(String source) throws IOException {
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
                  type: opensearch
                  url: %s
                  replicas: 0
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 1000
                checkpoint-interval: 300ms
                """
                        .formatted(
                                PIPELINE, PG.server().jdbcUrl(source), OPENSEARCH.server().url()));
    }
}
