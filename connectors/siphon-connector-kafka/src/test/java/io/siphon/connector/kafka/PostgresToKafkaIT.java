package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.kafka.TopicReader;
import io.siphon.testkit.pg.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A PostgreSQL to Kafka pipeline through the engine in this JVM: the snapshot arrives as {@code r}
 * events, the stream as {@code c}/{@code u}/{@code d}, and the topic read back as a consumer
 * keeping the last value per key equals the source table exactly, although the broker was stopped
 * and started again while changes streamed.
 */
class PostgresToKafkaIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SiphonEngine engine;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() {
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static final TableSchema ITEMS =
            new TableSchema(
                    TableId.of("public", "items"),
                    List.of(
                            new Column("id", new DataType.Int32(), false, null),
                            new Column("name", DataType.StringType.unbounded(), false, null),
                            Column.of("qty", new DataType.Int32())),
                    List.of("id"));

    @Test
    void snapshotAndStreamLandExactlyAcrossABrokerRestart() throws Exception {
        String db = PG.server().createDatabase("pg_to_kafka");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)",
                        "INSERT INTO items SELECT i, 'item ' || i, i FROM generate_series(1, 500) i");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: pg-to-kafka
                                source:
                                  type: postgres
                                  url: %s
                                  user: %s
                                  tables: [public.items]
                                sink:
                                  type: kafka
                                  bootstrap-servers: %s
                                  topic-prefix: shop
                                  timeout: 5s
                                mode: snapshot+cdc
                                checkpoint-interval: 500ms
                                """
                                        .formatted(
                                                PG.server().jdbcUrl(db),
                                                PG.server().superuser(),
                                                KAFKA.broker().bootstrapServers()),
                                "pg-to-kafka.yaml");
        PipelineRun run = engine.start(spec);
        awaitStreaming(run);
        PG.server()
                .execute(
                        db,
                        "UPDATE items SET qty = qty * 10 WHERE id % 7 = 0",
                        "DELETE FROM items WHERE id BETWEEN 100 AND 120",
                        "INSERT INTO items VALUES (1000, 'late', NULL)",
                        "UPDATE items SET id = 2000 WHERE id = 1");
        awaitTopicEqualsTable(db);

        KAFKA.broker().stop();
        PG.server()
                .execute(
                        db,
                        "UPDATE items SET name = 'while kafka was down' WHERE id % 11 = 0",
                        "DELETE FROM items WHERE id BETWEEN 200 AND 205",
                        "INSERT INTO items VALUES (3000, 'down', 3)");
        KAFKA.broker().restart();
        PG.server()
                .execute(
                        db,
                        "INSERT INTO items VALUES (4000, 'back', 4)",
                        "UPDATE items SET qty = -1 WHERE id = 3000");
        awaitTopicEqualsTable(db);

        Set<Integer> snapshotted = new HashSet<>();
        Set<Long> snapshotLsns = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records()) {
            if (r.value() == null) {
                continue;
            }
            RecordDecoder.Decoded e = decoder().envelope(r.value(), ITEMS);
            JsonNode source = JSON.readTree(r.value()).get("payload").get("source");
            assertThat(source.get("connector").asString()).isEqualTo("postgresql");
            assertThat(source.get("name").asString()).isEqualTo("shop");
            assertThat(source.get("schema").asString()).isEqualTo("public");
            assertThat(source.get("table").asString()).isEqualTo("items");
            assertThat(source.get("lsn").isNumber()).isTrue();
            if (e.op().equals("r")) {
                snapshotted.add((Integer) e.after().get(0));
                assertThat(source.get("snapshot").asString()).isEqualTo("true");
                snapshotLsns.add(source.get("lsn").asLong());
            } else {
                assertThat(source.get("snapshot").asString()).isEqualTo("false");
                assertThat(source.get("txId").isNumber()).isTrue();
            }
        }
        assertThat(snapshotted).hasSize(500);
        // Every snapshot row shows the table as of the one position the stream starts from.
        assertThat(snapshotLsns).hasSize(1);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    private static RecordDecoder decoder() {
        return new RecordDecoder(
                new Encoding(true, Encoding.Decimals.PRECISE, Encoding.Times.ADAPTIVE));
    }

    private static List<ConsumerRecord<byte[], byte[]>> records() {
        return TopicReader.readAll(KAFKA.broker().bootstrapServers(), "shop.public.items");
    }

    /** The topic as a consumer keeping the last value per key sees it, ordered by id. */
    private static List<Row> topicState() {
        Map<String, Row> byKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records()) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                byKey.remove(key);
                continue;
            }
            Row after = decoder().envelope(r.value(), ITEMS).after();
            if (after == null) {
                byKey.remove(key);
            } else {
                byKey.put(key, after);
            }
        }
        return byKey.values().stream()
                .sorted(java.util.Comparator.comparing(row -> (Integer) row.get(0)))
                .toList();
    }

    private static List<Row> tableState(String db) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = PG.server().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, qty FROM items ORDER BY id")) {
            while (rs.next()) {
                rows.add(Row.of(rs.getInt(1), rs.getString(2), (Integer) rs.getObject(3)));
            }
        }
        return rows;
    }

    private static void awaitTopicEqualsTable(String db) {
        Awaitility.await("topic equal to the table")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(topicState()).isEqualTo(tableState(db)));
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(3))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING;
                        });
    }
}
