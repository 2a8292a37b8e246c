package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.ChildSiphon;
import io.siphon.cli.StateProbe;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.kafka.TopicReader;
import io.siphon.testkit.pg.PostgresExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code siphon run} from PostgreSQL into Kafka with {@code delivery: exactly-once}, in its own
 * JVM, under continuous writes at the source, killed with SIGKILL once mid-snapshot and twice
 * mid-stream at random moments; a last run catches up. A {@code read_committed} consumer of the
 * topic must see each change exactly once: no change event twice (an update is told apart by its
 * key and the quantity it sets, which every update of the workload raises by one), no update of a
 * row missing between two of its change events, and the rows the events leave equal to the table.
 */
class KafkaCrashE2EIT {

    private static final String PIPELINE = "kafka-crash";
    private static final String PREFIX = "crash";
    private static final String TOPIC = PREFIX + ".public.items";
    private static final int ROWS = 60_000;

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir Path dir;

    @Test
    void killedMidSnapshotAndTwiceMidStreamEachChangeIsReadOnce() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String source = PG.server().createDatabase("kafka_crash_src");
        ChangeWorkload.createItems(PG.server(), source, ROWS);
        System.out.println("KafkaCrashE2EIT seed " + seed);
        Path spec = pipeline(source);
        Path stateDir = dir.resolve("state");

        try (ChangeWorkload workload = new ChangeWorkload(PG.server(), source, ROWS, seed, 500)) {
            // 30 chunks: kill once some are done and others not.
            int chunks = 3 + random.nextInt(6);
            Process snapshot = ChildSiphon.run(dir, "snapshot", spec, stateDir);
            Awaitility.await("snapshot chunks done")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    !snapshot.isAlive()
                                            || StateProbe.doneChunks(stateDir, PIPELINE, dir)
                                                    >= chunks);
            assertThat(snapshot.isAlive())
                    .as("seed %d: the snapshot run ended early: %s", seed, output("snapshot"))
                    .isTrue();
            ChildSiphon.kill(snapshot);

            for (int i = 1; i <= 2; i++) {
                ChildSiphon.killMidStream(
                        dir, "run-" + i, spec, stateDir, PIPELINE, random, workload::transactions);
            }
        }

        Process last = ChildSiphon.run(dir, "run-last", spec, stateDir);
        ChildSiphon.awaitStreaming(last, stateDir, PIPELINE, dir, "run-last");
        Map<Long, Row> table = table(source);
        Awaitility.await("the topic's rows equal to the table")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(rowsOf(events())).isEqualTo(table));
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<Event> events = events();
        Map<String, Integer> seen = new HashMap<>();
        Map<Long, Event> previous = new HashMap<>();
        for (Event e : events) {
            String identity = e.op() + "/" + e.id() + (e.op().equals("u") ? "/" + e.qty() : "");
            assertThat(seen.merge(identity, 1, Integer::sum))
                    .as("seed %d: how often %s was read", seed, identity)
                    .isEqualTo(1);
            Event before = previous.put(e.id(), e);
            if (e.op().equals("u")
                    && before != null
                    && (before.op().equals("c") || before.op().equals("u"))) {
                assertThat(e.qty())
                        .as("seed %d: quantity of row %d after %s", seed, e.id(), before)
                        .isEqualTo(before.qty() + 1);
            }
        }
        System.out.println(
                "KafkaCrashE2EIT: "
                        + events.size()
                        + " events, each read once; "
                        + table.size()
                        + " rows equal");
    }

    /** A row as the test compares it. */
    private record Row(String name, int qty, BigDecimal price, String note) {}

    /** A change event of the topic: its operation, key, and the row after it (null for d). */
    private record Event(String op, long id, Row after) {
        int qty() {
            return after.qty();
        }
    }

    /** Every event of the topic a {@code read_committed} consumer sees, in order. */
    private List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(KAFKA.broker().bootstrapServers(), TOPIC, "read_committed")) {
            if (r.value() == null) {
                continue;
            }
            JsonNode value = json.readTree(r.value());
            long id = json.readTree(r.key()).get("id").asLong();
            JsonNode after = value.get("after");
            events.add(
                    new Event(
                            value.get("op").asString(),
                            id,
                            after == null || after.isNull() ? null : row(after)));
        }
        return events;
    }

    private static Row row(JsonNode after) {
        JsonNode note = after.get("note");
        return new Row(
                after.get("name").asString(),
                after.get("qty").asInt(),
                new BigDecimal(after.get("price").asString()).stripTrailingZeros(),
                note.isNull() ? null : note.asString());
    }

    /** The rows the events leave, by key. */
    private static Map<Long, Row> rowsOf(List<Event> events) {
        Map<Long, Row> rows = new TreeMap<>();
        for (Event e : events) {
            if (e.after() == null) {
                rows.remove(e.id());
            } else {
                rows.put(e.id(), e.after());
            }
        }
        return rows;
    }

    private Map<Long, Row> table(String database) throws Exception {
        Map<Long, Row> rows = new LinkedHashMap<>();
        try (Connection c = PG.server().connect(database);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT id, name, qty, price, note FROM items ORDER BY id")) {
            while (rs.next()) {
                rows.put(
                        rs.getLong(1),
                        new Row(
                                rs.getString(2),
                                rs.getInt(3),
                                rs.getBigDecimal(4).stripTrailingZeros(),
                                rs.getString(5)));
            }
        }
        return new TreeMap<>(rows);
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
                  type: kafka
                  bootstrap-servers: %s
                  topic-prefix: %s
                  delivery: exactly-once
                  schemas: false
                  decimal-handling: string
                  timeout: 20s
                mode: snapshot+cdc
                parallelism: 2
                chunk-rows: 2000
                checkpoint-interval: 300ms
                """
                        .formatted(
                                PIPELINE,
                                PG.server().jdbcUrl(source),
                                KAFKA.broker().bootstrapServers(),
                                PREFIX));
    }

    private String output(String name) {
        return ChildSiphon.output(dir, name);
    }
}
