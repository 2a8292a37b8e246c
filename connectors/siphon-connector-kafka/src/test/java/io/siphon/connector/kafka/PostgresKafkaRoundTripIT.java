package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.ValidationReport;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL to Kafka (Siphon's sink) to PostgreSQL (Siphon's Kafka source), both pipelines through
 * the engine in this JVM: the second database ends equal to the first row by row, with updates,
 * deletes, a key change and an added column, and after the Kafka source's pipeline was stopped in
 * the middle of a stream of changes and started again.
 */
class PostgresKafkaRoundTripIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final TableId ITEMS = TableId.of("public", "items");

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

    @Test
    void postgresToKafkaToPostgresIsExactAcrossARestartOfTheKafkaSource() throws Exception {
        String source = PG.server().createDatabase("rt_source");
        String target = PG.server().createDatabase("rt_target");
        PG.server()
                .execute(
                        source,
                        """
                        CREATE TABLE items (
                            id int PRIMARY KEY, name text NOT NULL, qty int, price numeric(12,2),
                            amount numeric, big bigint, small smallint, ratio double precision,
                            share real, flag boolean, born date, at_time time, seen timestamp,
                            seen_tz timestamptz, ref uuid, doc jsonb, blob bytea, tags text[],
                            code varchar(20))
                        """,
                        """
                        INSERT INTO items
                        SELECT i, 'item ' || i, i, i * 1.25, i / 7.0, i * 10000000000, i % 300,
                               i / 3.0, i / 4.0, i % 2 = 0, DATE '2024-02-29' + i,
                               TIME '10:11:12.345678' + i * INTERVAL '1 second',
                               TIMESTAMP '2024-03-10 02:30:00.123456' + i * INTERVAL '1 hour',
                               TIMESTAMPTZ '2024-03-10 02:30:00.5+05:30' + i * INTERVAL '1 day',
                               md5(i::text)::uuid, jsonb_build_object('n', i, 'tags', ARRAY['a']),
                               decode(md5(i::text), 'hex'), ARRAY['x' || i, NULL, 'y'],
                               'code-' || i
                        FROM generate_series(1, 300) i
                        """,
                        "INSERT INTO items (id, name) VALUES (1000, 'all null')");
        PipelineRun toKafka = engine.start(toKafka(source));
        PostgresToKafkaIT.awaitStreaming(toKafka);
        PipelineSpec fromKafka = fromKafka(target);
        ValidationReport report = engine.validate(fromKafka);
        assertThat(report.problems()).isEmpty();
        PipelineRun run = engine.start(fromKafka);
        PostgresToKafkaIT.awaitStreaming(run);
        awaitEqual(source, target);

        PG.server()
                .execute(
                        source,
                        "UPDATE items SET qty = qty * 10, price = NULL WHERE id % 7 = 0",
                        "DELETE FROM items WHERE id BETWEEN 100 AND 120",
                        "INSERT INTO items (id, name, amount) VALUES (2000, 'late', -0.000001)",
                        "UPDATE items SET id = 3000 WHERE id = 2");
        awaitEqual(source, target);

        PG.server()
                .execute(
                        source,
                        "ALTER TABLE items ADD COLUMN note text",
                        "UPDATE items SET note = 'note ' || id WHERE id % 3 = 0",
                        "INSERT INTO items (id, name, note) VALUES (4000, 'with note', 'n')");
        awaitEqual(source, target);

        // Stopped while a stream of changes reaches the topic, and started again: what the
        // stopped run had not stored comes again, nothing is lost.
        PG.server().execute(source, "UPDATE items SET qty = coalesce(qty, 0) + 1");
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
        PG.server()
                .execute(
                        source,
                        "UPDATE items SET name = 'while stopped ' || id WHERE id % 5 = 0",
                        "DELETE FROM items WHERE id BETWEEN 200 AND 210",
                        "UPDATE items SET id = 5000 WHERE id = 3");
        PipelineRun again = engine.start(fromKafka);
        PostgresToKafkaIT.awaitStreaming(again);
        PG.server().execute(source, "INSERT INTO items (id, name) VALUES (6000, 'after restart')");
        awaitEqual(source, target);

        again.stop();
        toKafka.stop();
        assertThat(again.await().status()).isEqualTo(RunStatus.STOPPED);
        assertThat(toKafka.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void topicsOfFourPartitionsReadBySeveralReadersEndExactAcrossARestartWithFewer()
            throws Exception {
        String source = PG.server().createDatabase("rp_source");
        String target = PG.server().createDatabase("rp_target");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE orders (id int PRIMARY KEY, name text NOT NULL, qty int)",
                        "CREATE TABLE lines (id int PRIMARY KEY, order_id int, note text)",
                        "INSERT INTO orders SELECT i, 'order ' || i, i FROM generate_series(1, 400) i",
                        "INSERT INTO lines SELECT i, i % 400, 'line ' || i"
                                + " FROM generate_series(1, 400) i");
        PipelineRun toKafka =
                engine.start(
                        parse(
                                """
                                name: rp-to-kafka
                                source:
                                  type: postgres
                                  url: %s
                                  user: %s
                                sink:
                                  type: kafka
                                  bootstrap-servers: %s
                                  topic-prefix: rp
                                  partitions: 4
                                  linger: 0ms
                                  timeout: 10s
                                mode: snapshot+cdc
                                checkpoint-interval: 300ms
                                """
                                        .formatted(
                                                PG.server().jdbcUrl(source),
                                                PG.server().superuser(),
                                                KAFKA.broker().bootstrapServers())));
        PostgresToKafkaIT.awaitStreaming(toKafka);
        PipelineRun three = engine.start(partsFromKafka(target, 3));
        PostgresToKafkaIT.awaitStreaming(three);
        PG.server()
                .execute(
                        source,
                        "UPDATE orders SET qty = qty + 1 WHERE id % 3 = 0",
                        "DELETE FROM lines WHERE id BETWEEN 50 AND 80",
                        "UPDATE orders SET id = id + 1000 WHERE id BETWEEN 10 AND 20");
        awaitEqual(source, target, "orders", "lines");
        Awaitility.await("every part's position stored")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(storedPartitions("rp-from-kafka")).isEqualTo(8));

        // Stopped in the middle of a stream of changes to every row, and started with two readers
        // instead of three: each partition goes on from where its old reader stored it.
        PG.server().execute(source, "UPDATE orders SET qty = qty * 2");
        three.stop();
        assertThat(three.await().status()).isEqualTo(RunStatus.STOPPED);
        PG.server()
                .execute(
                        source,
                        "UPDATE lines SET note = 'while stopped ' || id WHERE id % 4 = 0",
                        "DELETE FROM orders WHERE id BETWEEN 300 AND 320");
        PipelineRun two = engine.start(partsFromKafka(target, 2));
        PostgresToKafkaIT.awaitStreaming(two);
        PG.server().execute(source, "UPDATE orders SET qty = qty + 7 WHERE id % 2 = 0");
        awaitEqual(source, target, "orders", "lines");

        two.stop();
        toKafka.stop();
        assertThat(two.await().status()).isEqualTo(RunStatus.STOPPED);
        assertThat(toKafka.await().status()).isEqualTo(RunStatus.STOPPED);
        assertThat(storedPartitions("rp-from-kafka")).isEqualTo(8);
    }

    /** How many partitions the pipeline's stored position names. */
    private static int storedPartitions(String pipeline) {
        KafkaOffset stored =
                new KafkaOffsetCodec().fromJson(engine.state().offset(pipeline).orElseThrow());
        return stored.next().values().stream().mapToInt(Map::size).sum();
    }

    private static PipelineSpec partsFromKafka(String target, int readers) {
        return parse(
                """
                name: rp-from-kafka
                source:
                  type: kafka
                  bootstrap-servers: %s
                  topic-prefix: rp
                  readers: %d
                  timeout: 10s
                sink:
                  type: postgres
                  url: %s
                  user: %s
                mode: cdc
                checkpoint-interval: 300ms
                """
                        .formatted(
                                KAFKA.broker().bootstrapServers(),
                                readers,
                                PG.server().jdbcUrl(target),
                                PG.server().superuser()));
    }

    private static PipelineSpec parse(String yaml) {
        return PipelineSpecParser.withInstalledConnectors().parse(yaml, "pipeline.yaml");
    }

    @Test
    void aStreamOnlySourceRefusesASnapshotModeNamingTheFix() throws Exception {
        String target = PG.server().createDatabase("rt_mode");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: kafka-snapshot
                                source:
                                  type: kafka
                                  bootstrap-servers: %s
                                mode: snapshot+cdc
                                sink:
                                  type: postgres
                                  url: %s
                                  user: %s
                                """
                                        .formatted(
                                                KAFKA.broker().bootstrapServers(),
                                                PG.server().jdbcUrl(target),
                                                PG.server().superuser()),
                                "kafka-snapshot.yaml");
        ValidationReport report = engine.validate(spec);
        assertThat(report.problems())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.code()).isEqualTo(ErrorCode.CAPABILITY_MISSING);
                            assertThat(p.message())
                                    .isEqualTo(
                                            "connector kafka cannot read snapshots, which mode"
                                                    + " snapshot+cdc needs");
                            assertThat(p.fix()).startsWith("set mode: cdc");
                        });
    }

    private static PipelineSpec toKafka(String source) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: rt-to-kafka
                        source:
                          type: postgres
                          url: %s
                          user: %s
                          tables: [public.items]
                        sink:
                          type: kafka
                          bootstrap-servers: %s
                          topic-prefix: rt
                          linger: 0ms
                          timeout: 10s
                        mode: snapshot+cdc
                        checkpoint-interval: 300ms
                        """
                                .formatted(
                                        PG.server().jdbcUrl(source),
                                        PG.server().superuser(),
                                        KAFKA.broker().bootstrapServers()),
                        "rt-to-kafka.yaml");
    }

    private static PipelineSpec fromKafka(String target) {
        return PipelineSpecParser.withInstalledConnectors()
                .parse(
                        """
                        name: rt-from-kafka
                        source:
                          type: kafka
                          bootstrap-servers: %s
                          topic-prefix: rt
                          tables: [public.items]
                          timeout: 10s
                        sink:
                          type: postgres
                          url: %s
                          user: %s
                        mode: cdc
                        checkpoint-interval: 300ms
                        """
                                .formatted(
                                        KAFKA.broker().bootstrapServers(),
                                        PG.server().jdbcUrl(target),
                                        PG.server().superuser()),
                        "rt-from-kafka.yaml");
    }

    private static void awaitEqual(String source, String target, String... tables) {
        Awaitility.await("target equal to the source")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                // A column added at the source may not be at the target yet.
                .ignoreExceptionsInstanceOf(SiphonException.class)
                .untilAsserted(
                        () -> {
                            for (TableId table :
                                    tables.length == 0
                                            ? List.of(ITEMS)
                                            : Arrays.stream(tables)
                                                    .map(t -> TableId.of("public", t))
                                                    .toList()) {
                                Comparison result = compare(source, target, table);
                                assertThat(result.equal()).as(result.toString()).isTrue();
                            }
                        });
    }

    private static Comparison compare(String source, String target, TableId table)
            throws Exception {
        try (Connection l = PG.server().connect(source);
                Connection r = PG.server().connect(target)) {
            return TableComparator.compare(l, table, r, table);
        }
    }
}
