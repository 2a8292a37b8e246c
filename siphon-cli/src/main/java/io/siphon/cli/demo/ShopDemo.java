package io.siphon.cli.demo;

import io.siphon.connector.opensearch.OpenSearchConnector;
import io.siphon.connector.redis.RedisConnector;
import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.OpenSearchServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.RedisServer;
import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.verify.Comparison;
import io.siphon.verify.CopyCheck;
import io.siphon.verify.TableComparator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's world: an embedded source server (PostgreSQL or MariaDB) with the sample shop ({@link
 * ShopDataset}) in database {@code shop}, and an embedded target server (PostgreSQL or MariaDB with
 * an empty database {@code warehouse}, Redis or OpenSearch); the pipeline between them; and the
 * check that the copy equals the source.
 */
public final class ShopDemo implements AutoCloseable {

    static final String SOURCE_DB = "shop";
    static final String TARGET_DB = "warehouse";
    static final String REDIS_PREFIX = "shop";
    static final String OPENSEARCH_INDEX = "shop-{table}";

    private final EmbeddedServer source;
    private final EmbeddedServer target;
    private final RedisServer redis;
    private final OpenSearchServer opensearch;

    private ShopDemo(
            EmbeddedServer source,
            EmbeddedServer target,
            RedisServer redis,
            OpenSearchServer opensearch) {
        this.source = source;
        this.target = target;
        this.redis = redis;
        this.opensearch = opensearch;
    }

    /**
     * Starts both servers (side by side: each takes a few seconds) and creates the databases.
     *
     * @param mysqlSource whether the source is MariaDB (the {@code mysql} source) instead of
     *     PostgreSQL
     * @param sink the target's connector type: {@code postgres}, {@code mysql} (MariaDB), {@code
     *     redis} or {@code opensearch}
     */
    public static ShopDemo start(boolean mysqlSource, String sink) {
        ShopDemo demo;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<EmbeddedServer> source =
                    CompletableFuture.supplyAsync(
                            mysqlSource ? MariaDbServer::start : PostgresServer::start, threads);
            CompletableFuture<EmbeddedServer> target =
                    CompletableFuture.supplyAsync(
                            switch (sink) {
                                case "mysql" -> MariaDbServer::start;
                                case "redis", "opensearch" -> () -> null;
                                default -> PostgresServer::start;
                            },
                            threads);
            CompletableFuture<RedisServer> redis =
                    CompletableFuture.supplyAsync(
                            sink.equals("redis") ? RedisServer::start : () -> null, threads);
            CompletableFuture<OpenSearchServer> opensearch =
                    CompletableFuture.supplyAsync(
                            sink.equals("opensearch") ? OpenSearchServer::start : () -> null,
                            threads);
            try {
                demo = new ShopDemo(source.join(), target.join(), redis.join(), opensearch.join());
            } catch (CompletionException e) {
                source.thenAccept(EmbeddedServer::close);
                target.thenAccept(ShopDemo::closeIfStarted);
                redis.thenAccept(ShopDemo::closeIfStarted);
                opensearch.thenAccept(ShopDemo::closeIfStarted);
                throw e.getCause() instanceof SiphonException s ? s : e;
            }
        }
        demo.source.execute(mysqlSource ? "mysql" : "postgres", "CREATE DATABASE " + SOURCE_DB);
        if (demo.target != null) {
            demo.target.execute(
                    demo.mysqlTarget() ? "mysql" : "postgres", "CREATE DATABASE " + TARGET_DB);
        }
        return demo;
    }

    private static void closeIfStarted(AutoCloseable server) {
        if (server instanceof EmbeddedServer e) {
            e.close();
        } else if (server instanceof RedisServer r) {
            r.close();
        } else if (server instanceof OpenSearchServer o) {
            o.close();
        }
    }

    /** Creates the shop's tables in the source and loads the rows. */
    public void load(ShopDataset dataset) {
        dataset.load(source, SOURCE_DB);
    }

    /** The shop's tables at the source, with their row counts. */
    public List<ShopDataset.TableCount> tables(ShopDataset dataset) {
        return mysqlSource() ? dataset.tables(SOURCE_DB) : dataset.tables();
    }

    /** The pipeline from the shop to the warehouse, as YAML a person could have written. */
    public String pipelineYaml(int parallelism, String mode) {
        return """
                # Copies the sample shop from %s%s.
                name: demo-shop
                source:
                  type: %s
                  url: %s
                  user: %s
                  tables: ["%s.*"]
                sink:
                %s
                mode: %s
                parallelism: %d
                """
                .formatted(
                        route(),
                        mode.equals("snapshot") ? "" : ", then streams its changes",
                        mysqlSource() ? "mysql" : "postgres",
                        source.jdbcUrl(SOURCE_DB),
                        source.superuser(),
                        sourceSchema(),
                        sinkBlock().strip().indent(2).stripTrailing(),
                        mode,
                        parallelism);
    }

    private String sinkBlock() {
        if (redis != null) {
            // Each row a hash under shop:{schema}.{table}:{key}.
            return """
                    type: redis
                    url: %s
                    key-prefix: %s
                    """
                    .formatted(redis.url(), REDIS_PREFIX);
        }
        if (opensearch != null) {
            // An index per table, named by the rule; one node has nowhere to put a replica.
            return """
                    type: opensearch
                    url: %s
                    index: "%s"
                    replicas: 0
                    """
                    .formatted(opensearch.url(), OPENSEARCH_INDEX);
        }
        return """
                type: %s
                url: %s
                user: %s
                table: "%s"
                """
                .formatted(
                        mysqlTarget() ? "mysql" : "postgres",
                        target.jdbcUrl(TARGET_DB),
                        target.superuser(),
                        // MySQL's databases are its schemas: the shop lands in warehouse there, and
                        // in public from a MySQL source.
                        mysqlTarget()
                                ? TARGET_DB + ".{table}"
                                : mysqlSource() ? "public.{table}" : "{schema}.{table}");
    }

    /**
     * Compares each source table with its copy, row by row through a SHA-256 over every value.
     *
     * @return the comparison of each table, by source table
     */
    public Map<TableId, Comparison> verify(PipelineSpec spec, Iterable<TableId> tables) {
        Map<TableId, Comparison> results = new LinkedHashMap<>();
        if (redis != null) {
            try (Connector from = sourceConnector();
                    RedisConnector to = redisConnector()) {
                for (TableId table : tables) {
                    results.put(
                            table,
                            CopyCheck.compare(
                                    from, table, "Redis", spec.sink().targetOf(table), to::rows));
                }
            }
            return results;
        }
        if (opensearch != null) {
            try (Connector from = sourceConnector();
                    OpenSearchConnector to = opensearchConnector()) {
                for (TableId table : tables) {
                    results.put(
                            table,
                            CopyCheck.compare(
                                    from,
                                    table,
                                    "OpenSearch",
                                    spec.sink().targetOf(table),
                                    to::rows));
                }
            }
            return results;
        }
        try (Connection from = source.connect(SOURCE_DB);
                Connection to = target.connect(TARGET_DB)) {
            for (TableId table : tables) {
                results.put(
                        table,
                        TableComparator.compare(from, table, to, spec.sink().targetOf(table)));
            }
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST,
                    "verifying the demo copy failed: " + e.getMessage(),
                    e);
        }
        return results;
    }

    /**
     * With a Redis or OpenSearch target, what a reader sees right now: in Redis, the source's
     * newest order looked up by key; in OpenSearch, the newest order a search finds (by id,
     * descending), beside the source's row of that order. Empty for the other targets.
     */
    public Optional<String> lookupNewestOrder(PipelineSpec spec) {
        if (redis == null && opensearch == null) {
            return Optional.empty();
        }
        try (Connector from = sourceConnector();
                Connection c = source.connect(SOURCE_DB)) {
            TableId orders = TableId.of(sourceSchema(), "orders");
            TableSchema schema =
                    from.discover(TableFilter.of(List.of(sourceSchema() + ".orders"), List.of()))
                            .getFirst()
                            .withId(spec.sink().targetOf(orders));
            if (redis != null) {
                try (Statement s = c.createStatement();
                        ResultSet newest =
                                s.executeQuery(
                                        "SELECT id, status, total FROM orders ORDER BY id DESC"
                                                + " LIMIT 1")) {
                    return newest.next()
                            ? Optional.of(
                                    lookupInRedis(schema, newest.getLong("id"))
                                            + " (the source has "
                                            + newest.getString("status")
                                            + ", total "
                                            + newest.getBigDecimal("total")
                                            + ")")
                            : Optional.empty();
                }
            }
            return Optional.of(searchInOpenSearch(schema, c));
        } catch (SQLException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_LOST, "the demo's lookup failed: " + e.getMessage(), e);
        }
    }

    private String lookupInRedis(TableSchema orders, long id) {
        try (RedisConnector to = redisConnector()) {
            Row key = new Row(new Object[orders.columns().size()]);
            key.values()[orders.indexOf("id")] = id;
            return "Lookup HGETALL "
                    + to.key(orders, key)
                    + ": "
                    + to.lookup(orders, key)
                            .map(row -> summary(orders, row))
                            .orElse("not there yet");
        }
    }

    /**
     * A search, as an application would run it: it sees what the index's last refresh made
     * searchable, which the source's row of the same order shows to be fresh.
     */
    private String searchInOpenSearch(TableSchema orders, Connection source) throws SQLException {
        String request = "{\"size\":1,\"sort\":[{\"id\":\"desc\"}]}";
        try (OpenSearchConnector to = opensearchConnector()) {
            List<Row> hits = to.search(orders, request);
            String line = "Search " + to.index(orders.id()) + " " + request + ": ";
            if (hits.isEmpty()) {
                return line + "no hit yet";
            }
            Row hit = hits.getFirst();
            Object id = hit.get(orders.indexOf("id"));
            try (PreparedStatement s =
                    source.prepareStatement(
                            "SELECT status, total, (SELECT max(id) FROM orders) AS newest"
                                    + " FROM orders WHERE id = ?")) {
                s.setObject(1, id);
                try (ResultSet row = s.executeQuery()) {
                    return line
                            + "order "
                            + id
                            + ", "
                            + summary(orders, hit)
                            + (row.next()
                                    ? " (the source has "
                                            + row.getString("status")
                                            + ", total "
                                            + row.getBigDecimal("total")
                                            + "; its newest order is "
                                            + row.getLong("newest")
                                            + ")"
                                    : " (deleted at the source since)");
                }
            }
        }
    }

    private static String summary(TableSchema orders, Row row) {
        return row.get(orders.indexOf("status")) + ", total " + row.get(orders.indexOf("total"));
    }

    private Connector sourceConnector() {
        String type = mysqlSource() ? "mysql" : "postgres";
        return connector(
                type, Map.of("url", source.jdbcUrl(SOURCE_DB), "user", source.superuser()));
    }

    private RedisConnector redisConnector() {
        return (RedisConnector)
                connector("redis", Map.of("url", redis.url(), "key-prefix", REDIS_PREFIX));
    }

    private OpenSearchConnector opensearchConnector() {
        return (OpenSearchConnector)
                connector(
                        "opensearch",
                        Map.of("url", opensearch.url(), "index", OPENSEARCH_INDEX, "replicas", 0));
    }

    private static Connector connector(String type, Map<String, ?> raw) {
        ConnectorRegistry registry = ConnectorRegistry.installed();
        return registry.create(
                type, Config.of(raw, registry.factory(type).options(), "the demo's " + type));
    }

    /** The schema that holds the shop at the source: MySQL's databases are its schemas. */
    private String sourceSchema() {
        return mysqlSource() ? SOURCE_DB : "public";
    }

    private boolean mysqlTarget() {
        return target instanceof MariaDbServer;
    }

    private boolean mysqlSource() {
        return source instanceof MariaDbServer;
    }

    /** "from PostgreSQL to MariaDB" and the like. */
    private String route() {
        if (redis != null) {
            return (mysqlSource() ? "MariaDB" : "PostgreSQL") + " into Redis";
        }
        if (opensearch != null) {
            return (mysqlSource() ? "MariaDB" : "PostgreSQL") + " into OpenSearch";
        }
        if (mysqlSource() == mysqlTarget()) {
            return "one " + (mysqlSource() ? "MariaDB" : "PostgreSQL") + " to another";
        }
        return mysqlSource() ? "MariaDB to PostgreSQL" : "PostgreSQL to MariaDB";
    }

    /** The server with the shop. */
    EmbeddedServer source() {
        return source;
    }

    /** Stops both servers and removes their files. */
    @Override
    public void close() {
        try {
            source.close();
        } finally {
            closeIfStarted(target);
            closeIfStarted(redis);
            closeIfStarted(opensearch);
        }
    }
}
