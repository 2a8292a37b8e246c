package io.siphon.cli.demo;

import io.siphon.embedded.PostgresServer;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's world: two embedded PostgreSQL servers, a source with the sample shop ({@link
 * ShopDataset}) in database {@code shop} and an empty target database {@code warehouse}; the
 * pipeline between them; and the check that the copy equals the source.
 */
public final class ShopDemo implements AutoCloseable {

    static final String SOURCE_DB = "shop";
    static final String TARGET_DB = "warehouse";

    private final PostgresServer source;
    private final PostgresServer target;

    private ShopDemo(PostgresServer source, PostgresServer target) {
        this.source = source;
        this.target = target;
    }

    /** Starts both servers (side by side: each takes a few seconds) and creates the databases. */
    public static ShopDemo start() {
        ShopDemo demo;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<PostgresServer> source =
                    CompletableFuture.supplyAsync(PostgresServer::start, threads);
            CompletableFuture<PostgresServer> target =
                    CompletableFuture.supplyAsync(PostgresServer::start, threads);
            try {
                demo = new ShopDemo(source.join(), target.join());
            } catch (CompletionException e) {
                source.thenAccept(PostgresServer::close);
                target.thenAccept(PostgresServer::close);
                throw e.getCause() instanceof SiphonException s ? s : e;
            }
        }
        demo.source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
        demo.target.execute("postgres", "CREATE DATABASE " + TARGET_DB);
        return demo;
    }

    /** Creates the shop's tables in the source and loads the rows. */
    public void load(ShopDataset dataset) {
        dataset.load(source, SOURCE_DB);
    }

    /** The pipeline from the shop to the warehouse, as YAML a person could have written. */
    public String pipelineYaml(int parallelism, String mode) {
        return """
                # Copies the sample shop from one PostgreSQL to another%s.
                name: demo-shop
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: ["public.*"]
                sink:
                  type: postgres
                  url: %s
                  user: %s
                  table: "{schema}.{table}"
                mode: %s
                parallelism: %d
                """
                .formatted(
                        mode.equals("snapshot") ? "" : ", then streams its changes",
                        source.jdbcUrl(SOURCE_DB),
                        PostgresServer.USER,
                        target.jdbcUrl(TARGET_DB),
                        PostgresServer.USER,
                        mode,
                        parallelism);
    }

    /**
     * Compares each source table with its copy, row by row through a SHA-256 over every value.
     *
     * @return the comparison of each table, by source table
     */
    public Map<TableId, Comparison> verify(PipelineSpec spec, Iterable<TableId> tables) {
        Map<TableId, Comparison> results = new LinkedHashMap<>();
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

    /** The server with the shop. */
    PostgresServer source() {
        return source;
    }

    /** Stops both servers and removes their files. */
    @Override
    public void close() {
        try {
            source.close();
        } finally {
            target.close();
        }
    }
}
