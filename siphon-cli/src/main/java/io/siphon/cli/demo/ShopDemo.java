package io.siphon.cli.demo;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
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
 * The demo's world: an embedded PostgreSQL source with the sample shop ({@link ShopDataset}) in
 * database {@code shop}, and an embedded target server (PostgreSQL or MariaDB) with an empty
 * database {@code warehouse}; the pipeline between them; and the check that the copy equals the
 * source.
 */
public final class ShopDemo implements AutoCloseable {

    static final String SOURCE_DB = "shop";
    static final String TARGET_DB = "warehouse";

    private final PostgresServer source;
    private final EmbeddedServer target;

    private ShopDemo(PostgresServer source, EmbeddedServer target) {
        this.source = source;
        this.target = target;
    }

    /**
     * Starts both servers (side by side: each takes a few seconds) and creates the databases.
     *
     * @param mysqlTarget whether the target is MariaDB (the {@code mysql} sink) instead of
     *     PostgreSQL
     */
    public static ShopDemo start(boolean mysqlTarget) {
        ShopDemo demo;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<PostgresServer> source =
                    CompletableFuture.supplyAsync(PostgresServer::start, threads);
            CompletableFuture<EmbeddedServer> target =
                    CompletableFuture.supplyAsync(
                            mysqlTarget ? MariaDbServer::start : PostgresServer::start, threads);
            try {
                demo = new ShopDemo(source.join(), target.join());
            } catch (CompletionException e) {
                source.thenAccept(PostgresServer::close);
                target.thenAccept(EmbeddedServer::close);
                throw e.getCause() instanceof SiphonException s ? s : e;
            }
        }
        demo.source.execute("postgres", "CREATE DATABASE " + SOURCE_DB);
        demo.target.execute(mysqlTarget ? "mysql" : "postgres", "CREATE DATABASE " + TARGET_DB);
        return demo;
    }

    /** Creates the shop's tables in the source and loads the rows. */
    public void load(ShopDataset dataset) {
        dataset.load(source, SOURCE_DB);
    }

    /** The pipeline from the shop to the warehouse, as YAML a person could have written. */
    public String pipelineYaml(int parallelism, String mode) {
        return """
                # Copies the sample shop from %s%s.
                name: demo-shop
                source:
                  type: postgres
                  url: %s
                  user: %s
                  tables: ["public.*"]
                sink:
                  type: %s
                  url: %s
                  user: %s
                  table: "%s"
                mode: %s
                parallelism: %d
                """
                .formatted(
                        mysqlTarget() ? "PostgreSQL to MariaDB" : "one PostgreSQL to another",
                        mode.equals("snapshot") ? "" : ", then streams its changes",
                        source.jdbcUrl(SOURCE_DB),
                        PostgresServer.USER,
                        mysqlTarget() ? "mysql" : "postgres",
                        target.jdbcUrl(TARGET_DB),
                        target.superuser(),
                        // MySQL's databases are its schemas: the shop lands in warehouse.
                        mysqlTarget() ? TARGET_DB + ".{table}" : "{schema}.{table}",
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

    private boolean mysqlTarget() {
        return target instanceof MariaDbServer;
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
