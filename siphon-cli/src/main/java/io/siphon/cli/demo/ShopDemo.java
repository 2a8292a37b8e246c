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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's world: an embedded source server (PostgreSQL or MariaDB) with the sample shop ({@link
 * ShopDataset}) in database {@code shop}, and an embedded target server (PostgreSQL or MariaDB)
 * with an empty database {@code warehouse}; the pipeline between them; and the check that the copy
 * equals the source.
 */
public final class ShopDemo implements AutoCloseable {

    static final String SOURCE_DB = "shop";
    static final String TARGET_DB = "warehouse";

    private final EmbeddedServer source;
    private final EmbeddedServer target;

    private ShopDemo(EmbeddedServer source, EmbeddedServer target) {
        this.source = source;
        this.target = target;
    }

    /**
     * Starts both servers (side by side: each takes a few seconds) and creates the databases.
     *
     * @param mysqlSource whether the source is MariaDB (the {@code mysql} source) instead of
     *     PostgreSQL
     * @param mysqlTarget whether the target is MariaDB (the {@code mysql} sink) instead of
     *     PostgreSQL
     */
    public static ShopDemo start(boolean mysqlSource, boolean mysqlTarget) {
        ShopDemo demo;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<EmbeddedServer> source =
                    CompletableFuture.supplyAsync(
                            mysqlSource ? MariaDbServer::start : PostgresServer::start, threads);
            CompletableFuture<EmbeddedServer> target =
                    CompletableFuture.supplyAsync(
                            mysqlTarget ? MariaDbServer::start : PostgresServer::start, threads);
            try {
                demo = new ShopDemo(source.join(), target.join());
            } catch (CompletionException e) {
                source.thenAccept(EmbeddedServer::close);
                target.thenAccept(EmbeddedServer::close);
                throw e.getCause() instanceof SiphonException s ? s : e;
            }
        }
        demo.source.execute(mysqlSource ? "mysql" : "postgres", "CREATE DATABASE " + SOURCE_DB);
        demo.target.execute(mysqlTarget ? "mysql" : "postgres", "CREATE DATABASE " + TARGET_DB);
        return demo;
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
                  type: %s
                  url: %s
                  user: %s
                  table: "%s"
                mode: %s
                parallelism: %d
                """
                .formatted(
                        route(),
                        mode.equals("snapshot") ? "" : ", then streams its changes",
                        mysqlSource() ? "mysql" : "postgres",
                        source.jdbcUrl(SOURCE_DB),
                        source.superuser(),
                        mysqlSource() ? SOURCE_DB : "public",
                        mysqlTarget() ? "mysql" : "postgres",
                        target.jdbcUrl(TARGET_DB),
                        target.superuser(),
                        // MySQL's databases are its schemas: the shop lands in warehouse there, and
                        // in public from a MySQL source.
                        mysqlTarget()
                                ? TARGET_DB + ".{table}"
                                : mysqlSource() ? "public.{table}" : "{schema}.{table}",
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

    private boolean mysqlSource() {
        return source instanceof MariaDbServer;
    }

    /** "from PostgreSQL to MariaDB" and the like. */
    private String route() {
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
            target.close();
        }
    }
}
