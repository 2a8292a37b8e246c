package io.siphon.bench;

import io.siphon.connector.opensearch.OpenSearchConnector;
import io.siphon.embedded.OpenSearchServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Snapshot of one PostgreSQL table into OpenSearch, Siphon against a {@code _bulk} loader on the
 * same documents, in one run against one embedded OpenSearch node:
 *
 * <ol>
 *   <li>a source server gets one table of mixed types with N rows ({@link BenchTable});
 *   <li>warm-up, not timed: a Siphon snapshot into its own index. It warms the node and this JVM
 *       for both timed copies, and gives the documents the loader sends: each document's id and
 *       JSON as Siphon wrote it, read back into memory; then the index is deleted;
 *   <li>native ceiling: a loader creates an index with the same settings and mapping and sends
 *       every document with its id in {@code _bulk} requests of the sink's {@code bulk-bytes} over
 *       P connections, each with its own slice of the rows; timed from the first request to the
 *       last reply; every document is read back and compared, then the index is deleted;
 *   <li>Siphon: a snapshot pipeline into a new index, timed from the run's start to COMPLETED
 *       (checking both sides, creating the index, reading PostgreSQL included);
 *   <li>the Siphon copy is verified: every row of the source equal to its document read back as a
 *       row ({@code CopyCheck}), and every document byte for byte the loader's.
 * </ol>
 *
 * <p>The last line printed is one JSON object with both rates, their ratio and the load average.
 */
public final class SnapshotOpenSearchBenchmark {

    private static final String SOURCE_DB = "bench_source";
    private static final int BULK_BYTES = 5_000_000;
    private static final int PAGE = 10_000;

    /** Numbers read back exactly as written (no double rounding, scale kept). */
    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .build();

    /** A document: its id and its JSON. */
    private record Document(String id, byte[] source) {}

    private SnapshotOpenSearchBenchmark() {}

    /**
     * Runs the benchmark, printing each step and, last, the JSON line.
     *
     * @param rows rows in the table
     * @param parallelism the pipeline's parallelism and the loader's connections (at least 1)
     * @throws SiphonException when a copy fails or differs from the source
     */
    public static String run(long rows, int parallelism, PrintWriter out) {
        double loadBefore = SinkBenchmarks.loadAverage();
        out.printf(
                Locale.ROOT,
                "snapshot-opensearch: %,d rows, PostgreSQL 17 -> OpenSearch 3, both embedded on"
                        + " this machine (%d cores)%n",
                rows,
                Runtime.getRuntime().availableProcessors());
        out.flush();
        try (PostgresServer source = PostgresServer.start();
                OpenSearchServer node = OpenSearchServer.start();
                HttpClient http =
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
            BenchTable.create(source, SOURCE_DB, rows);
            Node os = new Node(http, node.url());

            Duration warmup = siphonCopy(source, node, parallelism, "warmup");
            SinkBenchmarks.printRate(out, "warm-up siphon snapshot (not counted)", rows, warmup);
            String warmupIndex = "warmup-" + BenchTable.ID.table();
            List<Document> documents = new ArrayList<>();
            os.documents(warmupIndex, documents::add);
            requireCount(documents.size(), rows, "the warm-up copy");
            ObjectNode created = os.definition(warmupIndex);
            os.delete(warmupIndex);

            String nativeIndex = "native-" + BenchTable.ID.table();
            os.create(nativeIndex, created);
            Duration nativeTime = os.bulkLoad(nativeIndex, documents, parallelism);
            SinkBenchmarks.printRate(
                    out, "native _bulk loader (" + parallelism + " connections)", rows, nativeTime);
            Map<String, byte[]> expected = new HashMap<>(documents.size() * 2);
            documents.forEach(d -> expected.put(d.id(), d.source()));
            documents.clear();
            os.checkDocuments(nativeIndex, expected, "the native copy");
            os.delete(nativeIndex);

            Duration siphonTime = siphonCopy(source, node, parallelism, "siphon");
            SinkBenchmarks.printRate(
                    out, "siphon snapshot (parallelism " + parallelism + ")", rows, siphonTime);
            String siphonIndex = "siphon-" + BenchTable.ID.table();
            os.checkDocuments(siphonIndex, expected, "the Siphon copy");
            expected.clear();
            String hash;
            try (OpenSearchConnector to =
                    (OpenSearchConnector)
                            SinkBenchmarks.connector(
                                    "opensearch",
                                    Map.of("url", node.url(), "index", "siphon-{table}"))) {
                hash =
                        SinkBenchmarks.requireEqualToSource(
                                source, SOURCE_DB, "OpenSearch", to::rows);
            }
            out.printf(
                    Locale.ROOT,
                    "verified: %,d documents in each copy, the same ids and JSON; the Siphon copy"
                            + " equal to the source (sha256 %s)%n",
                    rows,
                    hash);
            return SinkBenchmarks.finish(
                    out, "snapshot-opensearch", rows, nativeTime, siphonTime, loadBefore);
        }
    }

    private static Duration siphonCopy(
            PostgresServer source, OpenSearchServer node, int parallelism, String prefix) {
        String yaml =
                """
                name: bench-snapshot-opensearch-%s
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: [%s]
                sink:
                  type: opensearch
                  url: %s
                  index: "%s-{table}"
                  replicas: 0
                  bulk-bytes: %d
                mode: snapshot
                parallelism: %d
                """
                        .formatted(
                                prefix,
                                source.jdbcUrl(SOURCE_DB),
                                PostgresServer.USER,
                                BenchTable.ID,
                                node.url(),
                                prefix,
                                BULK_BYTES,
                                parallelism);
        return SinkBenchmarks.siphonCopy(yaml, "bench-snapshot-opensearch");
    }

    private static void requireCount(long documents, long rows, String copy) {
        if (documents != rows) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "OpenSearch holds "
                            + documents
                            + " documents of "
                            + copy
                            + " instead of "
                            + rows
                            + ", so the time means nothing");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    /** The node, through plain HTTP: what a hand-written loader would use. */
    private record Node(HttpClient http, String url) {

        /** The index's settings that the sink chose (shards, replicas) and its mapping. */
        ObjectNode definition(String index) {
            JsonNode got = JSON.readTree(send("GET", "/" + index, null)).path(index);
            JsonNode settings = got.path("settings").path("index");
            ObjectNode body = JSON.createObjectNode();
            body.putObject("settings")
                    .put("number_of_shards", settings.path("number_of_shards").asString())
                    .put("number_of_replicas", settings.path("number_of_replicas").asString());
            body.set("mappings", got.path("mappings"));
            return body;
        }

        void create(String index, ObjectNode definition) {
            send("PUT", "/" + index, JSON.writeValueAsBytes(definition));
        }

        void delete(String index) {
            send("DELETE", "/" + index, null);
        }

        /**
         * Sends every document in {@code _bulk} requests of up to {@value #BULK_BYTES} bytes, each
         * of P connections its own contiguous slice, as the sink's writers each take their own
         * chunks; each request waits for its reply, as the sink's do.
         */
        Duration bulkLoad(String index, List<Document> documents, int connections) {
            byte[] start =
                    ("{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"")
                            .getBytes(StandardCharsets.UTF_8);
            byte[] end = "\"}}\n".getBytes(StandardCharsets.UTF_8);
            try (ExecutorService threads = Executors.newFixedThreadPool(connections)) {
                long t0 = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < connections; t++) {
                    int from = (int) ((long) documents.size() * t / connections);
                    int to = (int) ((long) documents.size() * (t + 1) / connections);
                    done.add(
                            threads.submit(
                                    () -> {
                                        ByteArrayOutputStream body =
                                                new ByteArrayOutputStream(BULK_BYTES + (1 << 16));
                                        for (int i = from; i < to; i++) {
                                            Document d = documents.get(i);
                                            body.writeBytes(start);
                                            body.writeBytes(
                                                    d.id().getBytes(StandardCharsets.UTF_8));
                                            body.writeBytes(end);
                                            body.writeBytes(d.source());
                                            body.write('\n');
                                            if (body.size() >= BULK_BYTES || i == to - 1) {
                                                bulk(body.toByteArray());
                                                body.reset();
                                            }
                                        }
                                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                return Duration.ofNanos(System.nanoTime() - t0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof SiphonException s
                        ? s
                        : new SiphonException(
                                ErrorCode.SINK_WRITE_FAILED,
                                "the _bulk loader failed: " + e.getCause(),
                                e.getCause());
            }
        }

        private void bulk(byte[] body) {
            JsonNode reply = JSON.readTree(send("POST", "/_bulk", body));
            if (reply.path("errors").asBoolean(true)) {
                throw new SiphonException(
                        ErrorCode.SINK_WRITE_FAILED,
                        "OpenSearch refused documents of the native copy: "
                                + abbreviated(reply.path("items").toString()));
            }
        }

        /**
         * Reads every document of an index against the expected ones: the same ids, each with
         * exactly the same JSON, none missing.
         */
        void checkDocuments(String index, Map<String, byte[]> expected, String copy) {
            long[] read = {0};
            documents(
                    index,
                    d -> {
                        if (!Arrays.equals(expected.get(d.id()), d.source())) {
                            throw new SiphonException(
                                    ErrorCode.DATA_INVALID,
                                    "Document "
                                            + d.id()
                                            + " of "
                                            + copy
                                            + " is not the warm-up copy's: "
                                            + new String(d.source(), StandardCharsets.UTF_8));
                        }
                        read[0]++;
                    });
            requireCount(read[0], expected.size(), copy);
        }

        /** Every document of an index (refreshed first), through a scroll. */
        void documents(String index, Consumer<Document> each) {
            send("POST", "/" + index + "/_refresh", null);
            JsonNode page =
                    JSON.readTree(
                            send(
                                    "POST",
                                    "/" + index + "/_search?scroll=1m",
                                    ("{\"size\":" + PAGE + ",\"sort\":[\"_doc\"]}")
                                            .getBytes(StandardCharsets.UTF_8)));
            String scroll = page.path("_scroll_id").asString();
            try {
                while (!page.path("hits").path("hits").isEmpty()) {
                    for (JsonNode hit : page.path("hits").path("hits")) {
                        each.accept(
                                new Document(
                                        hit.path("_id").asString(),
                                        JSON.writeValueAsBytes(hit.path("_source"))));
                    }
                    page =
                            JSON.readTree(
                                    send(
                                            "POST",
                                            "/_search/scroll",
                                            JSON.writeValueAsBytes(
                                                    JSON.createObjectNode()
                                                            .put("scroll", "1m")
                                                            .put("scroll_id", scroll))));
                }
            } finally {
                send(
                        "DELETE",
                        "/_search/scroll",
                        JSON.writeValueAsBytes(JSON.createObjectNode().put("scroll_id", scroll)));
            }
        }

        private byte[] send(String method, String path, byte[] body) {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url + path))
                            .header(
                                    "Content-Type",
                                    path.equals("/_bulk")
                                            ? "application/x-ndjson"
                                            : "application/json")
                            .method(
                                    method,
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
            try {
                HttpResponse<byte[]> response =
                        http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() >= 300) {
                    throw new SiphonException(
                            ErrorCode.SINK_WRITE_FAILED,
                            "OpenSearch answered "
                                    + method
                                    + " "
                                    + path
                                    + " with HTTP "
                                    + response.statusCode()
                                    + ": "
                                    + new String(response.body(), StandardCharsets.UTF_8));
                }
                return response.body();
            } catch (IOException e) {
                throw new SiphonException(
                        ErrorCode.CONNECTION_FAILED,
                        "OpenSearch at " + url + " failed " + method + " " + path + ": " + e,
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
            }
        }
    }
}
