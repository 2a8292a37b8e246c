package io.siphon.bench;

import io.siphon.connector.kafka.KafkaSettings;
import io.siphon.connector.kafka.RecordDecoder;
import io.siphon.embedded.KafkaBroker;
import io.siphon.embedded.PostgresServer;
import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.CopyCheck;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Snapshot of one PostgreSQL table into Kafka, Siphon against Kafka's own producer ceiling and
 * against Debezium's snapshot read rate on this machine, on the same rows in one run:
 *
 * <ol>
 *   <li>a source server gets one table of mixed types with N rows ({@link BenchTable}); an in-JVM
 *       Kafka 4 broker starts;
 *   <li>Debezium (when on the class path, see {@link DebeziumSnapshotRead}): its embedded engine
 *       snapshots the table into a handler that only counts the records, timed from the engine's
 *       start to the last row: Debezium's read rate with nothing written;
 *   <li>Siphon: a snapshot pipeline into the broker (Debezium envelope with schemas, the sink's
 *       default producer settings), timed from the run's start to COMPLETED;
 *   <li>the Siphon topic holds one record per row with every key once, and every row's record
 *       decodes to the source row ({@link CopyCheck}, a SHA-256 over all rows);
 *   <li>producer ceiling, as {@code kafka-producer-perf-test --payload-file} measures it but with
 *       keys and with Siphon's own records as payloads (the first {@value #SAMPLE} records of its
 *       topic, cycled; so sizes and compressibility are Siphon's): P producers with the sink's
 *       settings (acks=all, idempotent, lz4, linger 5 ms, batch 256 KiB) send N records into a new
 *       topic, timed from the first send to the last acknowledgement.
 * </ol>
 *
 * <p>The last line printed is one JSON object with the three rates and Siphon's ratio to each.
 */
public final class SnapshotKafkaBenchmark {

    private static final String SOURCE_DB = "bench_source";
    private static final int SAMPLE = 10_000;

    private SnapshotKafkaBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @param rows rows in the table
     * @param parallelism the pipeline's parallelism and the ceiling's producers (at least 1)
     * @throws SiphonException when a copy fails or differs from the source
     */
    public static String run(long rows, int parallelism, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "snapshot-kafka: %,d rows, PostgreSQL 17 -> Kafka 4 (one in-JVM broker), both"
                        + " embedded on this machine (%d cores)%n",
                rows,
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (PostgresServer source = PostgresServer.start();
                KafkaBroker kafka = KafkaBroker.start()) {
            source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
            BenchTable.create(source, SOURCE_DB, rows);

            DebeziumSnapshotRead.Read debezium = null;
            if (DebeziumSnapshotRead.available()) {
                debezium =
                        DebeziumSnapshotRead.read(
                                source, SOURCE_DB, BenchTable.ID.toString(), rows);
                SinkBenchmarks.printRate(
                        out,
                        "debezium embedded snapshot, read only (JSON with schemas, "
                                + (debezium.valueBytes() / debezium.records())
                                + " B a value)",
                        rows,
                        debezium.time());
            } else {
                out.println(
                        "debezium: skipped, Debezium is not on the class path (siphon.jar finds it"
                                + " in lib/kafka beside it, as the build puts it)");
            }

            PipelineSpec spec = spec(source, kafka, parallelism);
            Duration siphonTime = SinkBenchmarks.siphonCopy(spec);
            KafkaSettings settings = new KafkaSettings(spec.sink().config());
            TopicCheck check = checkTopic(source, spec, settings, rows);
            SinkBenchmarks.printRate(
                    out,
                    "siphon snapshot into Kafka (parallelism "
                            + parallelism
                            + ", "
                            + check.averageValueBytes()
                            + " B a value)",
                    rows,
                    siphonTime);
            out.printf(
                    Locale.ROOT,
                    "verified: %,d records, one per key, each equal to its source row (SHA-256 %s)%n",
                    rows,
                    check.comparison().leftHash().substring(0, 16));

            Duration producerTime = producerCeiling(settings, check.sample(), rows, parallelism);
            SinkBenchmarks.printRate(
                    out,
                    "kafka producer ceiling ("
                            + parallelism
                            + " producers, Siphon's records, the sink's settings)",
                    rows,
                    producerTime);

            double producerRatio = (double) producerTime.toNanos() / siphonTime.toNanos();
            out.printf(Locale.ROOT, "ratio siphon/producer ceiling: %.2f%n", producerRatio);
            String debeziumJson = "null";
            String debeziumRatioJson = "null";
            if (debezium != null) {
                double ratio = (double) debezium.time().toNanos() / siphonTime.toNanos();
                out.printf(
                        Locale.ROOT,
                        "ratio siphon end to end/debezium read only: %.2f (target: 2.00)%n",
                        ratio);
                debeziumJson = Long.toString(SinkBenchmarks.perSecond(rows, debezium.time()));
                debeziumRatioJson = String.format(Locale.ROOT, "%.3f", ratio);
            }
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"bench\":\"snapshot-kafka\",\"rows\":%d,\"value_bytes\":%d,"
                                    + "\"producer_rows_per_s\":%d,\"siphon_rows_per_s\":%d,"
                                    + "\"producer_ratio\":%.3f,\"debezium_rows_per_s\":%s,"
                                    + "\"debezium_ratio\":%s}",
                            rows,
                            check.averageValueBytes(),
                            SinkBenchmarks.perSecond(rows, producerTime),
                            SinkBenchmarks.perSecond(rows, siphonTime),
                            producerRatio,
                            debeziumJson,
                            debeziumRatioJson);
            out.println(json);
            out.flush();
            return json;
        }
    }

    private static PipelineSpec spec(PostgresServer source, KafkaBroker kafka, int parallelism) {
        String yaml =
                """
                name: bench-snapshot-kafka
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: [%s]
                sink:
                  type: kafka
                  bootstrap-servers: %s
                  topic-prefix: siphon
                mode: snapshot
                parallelism: %d
                """
                        .formatted(
                                source.jdbcUrl(SOURCE_DB),
                                PostgresServer.USER,
                                BenchTable.ID,
                                kafka.bootstrapServers(),
                                parallelism);
        return PipelineSpecParser.withInstalledConnectors().parse(yaml, "bench-snapshot-kafka");
    }

    /**
     * What the check of Siphon's topic found.
     *
     * @param comparison the topic's rows against the source table's
     * @param averageValueBytes the mean length of a record value
     * @param sample the topic's first records, as payloads for the producer ceiling
     */
    private record TopicCheck(
            Comparison comparison,
            long averageValueBytes,
            List<ProducerRecord<byte[], byte[]>> sample) {}

    /**
     * Reads Siphon's topic to its end: one {@code r} record per row, every key once, and the rows
     * equal to the source's.
     */
    private static TopicCheck checkTopic(
            PostgresServer source, PipelineSpec spec, KafkaSettings settings, long rows) {
        String topic = settings.topicOf(spec.sink().targetOf(BenchTable.ID));
        RecordDecoder decoder = new RecordDecoder(settings.encoding());
        List<ProducerRecord<byte[], byte[]>> sample = new ArrayList<>();
        Set<Object> ids = new HashSet<>();
        long[] records = {0};
        long[] valueBytes = {0};
        ConnectorRegistry registry = ConnectorRegistry.installed();
        try (Connector from =
                registry.create(
                        "postgres",
                        Config.of(
                                Map.of(
                                        "url",
                                        source.jdbcUrl(SOURCE_DB),
                                        "user",
                                        PostgresServer.USER),
                                registry.factory("postgres").options(),
                                "the benchmark's source"))) {
            Comparison comparison =
                    CopyCheck.compare(
                            from,
                            BenchTable.ID,
                            "Kafka",
                            spec.sink().targetOf(BenchTable.ID),
                            (TableSchema schema) -> {
                                List<Row> decoded = new ArrayList<>();
                                readAll(
                                        settings,
                                        topic,
                                        r -> {
                                            records[0]++;
                                            valueBytes[0] += r.value().length;
                                            if (sample.size() < SAMPLE) {
                                                sample.add(
                                                        new ProducerRecord<>(
                                                                "ceiling", r.key(), r.value()));
                                            }
                                            RecordDecoder.Decoded event =
                                                    decoder.envelope(r.value(), schema);
                                            if (!event.op().equals("r")) {
                                                throw invalid(
                                                        "holds a '"
                                                                + event.op()
                                                                + "' event, not 'r'");
                                            }
                                            ids.add(event.after().get(schema.indexOf("id")));
                                            decoded.add(event.after());
                                        });
                                return decoded;
                            });
            if (records[0] != rows || ids.size() != rows) {
                throw invalid(
                        "holds "
                                + records[0]
                                + " records of "
                                + ids.size()
                                + " keys for "
                                + rows
                                + " rows");
            }
            if (!comparison.equal()) {
                throw invalid("differs from the source: " + comparison);
            }
            return new TopicCheck(comparison, valueBytes[0] / records[0], sample);
        }
    }

    private static SiphonException invalid(String what) {
        return new SiphonException(
                ErrorCode.DATA_INVALID, "Siphon's topic " + what + ", so the time means nothing");
    }

    /**
     * Passes every record of the topic, from its beginning to its end as of now, to {@code each}
     * (not kept: the whole topic may not fit in memory).
     */
    private static void readAll(
            KafkaSettings settings, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>(settings.clientSettings());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /**
     * P producers with the sink's settings send {@code rows} records, cycling through the sample,
     * each producer its share; timed from the first send to the last acknowledgement.
     */
    private static Duration producerCeiling(
            KafkaSettings settings,
            List<ProducerRecord<byte[], byte[]>> sample,
            long rows,
            int producers) {
        try (ExecutorService threads = Executors.newFixedThreadPool(producers)) {
            List<KafkaProducer<byte[], byte[]>> started = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                started.add(new KafkaProducer<>(settings.producerSettings()));
            }
            // A first record makes each producer fetch the topic's metadata before the clock runs.
            for (KafkaProducer<byte[], byte[]> producer : started) {
                producer.send(sample.getFirst()).get();
            }
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                KafkaProducer<byte[], byte[]> producer = started.get(p);
                long from = rows * p / producers;
                long to = rows * (p + 1) / producers;
                done.add(
                        threads.submit(
                                () -> {
                                    for (long i = from; i < to; i++) {
                                        producer.send(sample.get((int) (i % sample.size())));
                                    }
                                    producer.flush();
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            started.forEach(KafkaProducer::close);
            return time;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        } catch (ExecutionException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "the producer ceiling failed: " + e.getCause(),
                    e.getCause());
        }
    }
}
