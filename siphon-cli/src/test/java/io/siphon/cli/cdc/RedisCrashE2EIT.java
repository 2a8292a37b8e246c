package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.cli.TestConnectors;
import io.siphon.connector.redis.RedisConnector;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.redis.RedisExtension;
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
 * {@code siphon run} from PostgreSQL into Redis in its own JVM, under continuous writes at the
 * source, killed with SIGKILL twice mid-stream at random moments; a last run catches up. Every key
 * must end equal to its source row and Redis must keep no other row: the replay after each kill
 * rewrites keys to the values they had, nothing is lost.
 */
class RedisCrashE2EIT {

    private static final String PIPELINE = "redis-crash";
    private static final TableId ITEMS = TableId.of("public", "items");

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    @TempDir Path dir;

    @Test
    void killedTwiceMidStreamEndsWithEveryKeyEqualToItsSourceRow() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String source = PG.server().createDatabase("redis_crash_src");
        ChangeWorkload.createItems(PG.server(), source, 20_000);
        System.out.println("RedisCrashE2EIT seed " + seed);
        Path spec = pipeline(source);
        Path stateDir = dir.resolve("state");

        try (ChangeWorkload workload = new ChangeWorkload(PG.server(), source, 20_000, seed)) {
            for (int i = 1; i <= 2; i++) {
                ChildSiphon.killMidStream(
                        dir, "run-" + i, spec, stateDir, PIPELINE, random, workload::transactions);
            }
        }

        Process last = ChildSiphon.run(dir, "run-last", spec, stateDir);
        ChildSiphon.awaitStreaming(last, stateDir, PIPELINE, dir, "run-last");
        Awaitility.await("Redis equal to the source")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            try (Connector pg =
                                            TestConnectors.postgres(PG.server().jdbcUrl(source));
                                    RedisConnector redis =
                                            TestConnectors.redis(
                                                    REDIS.server().url(), "crash", "hash")) {
                                Comparison c =
                                        CopyCheck.compare(pg, ITEMS, "Redis", ITEMS, redis::rows);
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
                  type: redis
                  url: %s
                  key-prefix: crash
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 5000
                checkpoint-interval: 300ms
                """
                        .formatted(PIPELINE, PG.server().jdbcUrl(source), REDIS.server().url()));
    }
}
