package io.siphon.bench;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A change workload of the CDC benchmark on one source database: several clients, each on its own
 * connection, each a transaction after another. Every client works on its own share of the keys (no
 * lock waits between clients) with a random generator from a fixed seed, so every run does the same
 * sequence of changes. A last transaction sets a marker row in every table: once a target has all
 * the markers, it has every change before them.
 */
abstract sealed class ChangeWorkload permits AccountsWorkload, TpcbWorkload {

    /** The key of the marker row of every table. */
    static final long MARKER = 0;

    private static final long SEED = 42;

    /** The server of the database the workload changes. */
    protected final EmbeddedServer server;

    /** The database the workload changes. */
    protected final String database;

    /** Rows in the main table before the workload. */
    protected final long rows;

    /** How many clients run at once. */
    protected final int clients;

    /** One random generator per client. */
    protected final SplittableRandom[] randoms;

    ChangeWorkload(EmbeddedServer server, String database, long rows, int clients) {
        this.server = server;
        this.database = database;
        this.rows = rows;
        this.clients = clients;
        this.randoms = new SplittableRandom[clients];
        for (int k = 0; k < clients; k++) {
            randoms[k] = new SplittableRandom(SEED + k);
        }
    }

    /**
     * The workload of the given name on a database.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for an unknown name
     */
    static ChangeWorkload of(
            String name, PostgresServer server, String database, long rows, int clients) {
        return switch (name) {
            case AccountsWorkload.NAME -> new AccountsWorkload(server, database, rows, clients);
            case TpcbWorkload.NAME -> new TpcbWorkload(server, database, rows, clients);
            default ->
                    throw new SiphonException(
                            ErrorCode.CONFIG_INVALID_VALUE,
                            "unknown workload '"
                                    + name
                                    + "'; use "
                                    + AccountsWorkload.NAME
                                    + " or "
                                    + TpcbWorkload.NAME);
        };
    }

    /** The workload's name, as {@code --workload} takes it and the JSON line reports it. */
    abstract String name();

    /** What one transaction does, for people. */
    abstract String describe();

    /** The tables it changes, each with a primary key. */
    abstract List<TableId> tables();

    /** Creates the tables and their rows, markers included, in the workload's database. */
    abstract void create();

    /** Rows a transaction changes on average, to hold a rate of events per second. */
    abstract double eventsPerTransaction();

    /** One transaction of client {@code k} on {@code c}; returns the rows it changed. */
    protected abstract long transaction(int k, Connection c) throws SQLException;

    /** Sets every table's marker to {@code value}, in one last transaction. */
    abstract void touchMarkers(int value);

    /** Whether every table of a target database has its marker at {@code value}. */
    abstract boolean markersApplied(Connection target, int value) throws SQLException;

    /**
     * Runs the clients as fast as they go for {@code duration}, and counts how many transactions
     * each committed, so that {@link #runCounted} can replay exactly the same changes elsewhere.
     *
     * @return rows changed (inserted, updated, deleted) and transactions per client
     */
    final Backlog runFlatOut(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long[] transactions = new long[clients];
        long changed =
                run(
                        k ->
                                c -> {
                                    long rowsChanged = 0;
                                    while (System.nanoTime() < deadline) {
                                        rowsChanged += transaction(k, c);
                                        transactions[k]++;
                                    }
                                    return rowsChanged;
                                });
        return new Backlog(changed, transactions);
    }

    /**
     * Runs exactly the transactions of a backlog built by {@link #runFlatOut} on another database
     * of the same workload: with the same seeds, the same changes.
     *
     * @return rows changed and transactions per client
     */
    final Backlog runCounted(Backlog of) {
        long changed =
                run(
                        k ->
                                c -> {
                                    long rowsChanged = 0;
                                    for (long t = 0; t < of.transactions()[k]; t++) {
                                        rowsChanged += transaction(k, c);
                                    }
                                    return rowsChanged;
                                });
        return new Backlog(changed, of.transactions().clone());
    }

    /**
     * Changes made while a replicator was stopped.
     *
     * @param events rows changed
     * @param transactions transactions committed by each client
     */
    record Backlog(long events, long[] transactions) {

        /** Transactions of all clients. */
        long transactionCount() {
            long sum = 0;
            for (long t : transactions) {
                sum += t;
            }
            return sum;
        }
    }

    /**
     * Runs the clients for {@code duration} at about {@code eventsPerSecond} rows changed in all,
     * spread evenly over the clients by a scheduler.
     *
     * @return rows changed
     */
    final long runAtRate(Duration duration, double eventsPerSecond) {
        double transactionsPerSecond = eventsPerSecond / eventsPerTransaction();
        long periodMicros = Math.max(1, Math.round(clients * 1e6 / transactionsPerSecond));
        LongAdder changed = new LongAdder();
        List<Connection> connections = new ArrayList<>();
        ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(
                        clients,
                        r -> Thread.ofPlatform().daemon().name("bench-client").unstarted(r));
        List<SQLException> failures = new ArrayList<>();
        try {
            for (int k = 0; k < clients; k++) {
                Connection c = connect();
                connections.add(c);
                int client = k;
                scheduler.scheduleAtFixedRate(
                        () -> {
                            try {
                                changed.add(transaction(client, c));
                            } catch (SQLException e) {
                                synchronized (failures) {
                                    failures.add(e);
                                }
                                throw new IllegalStateException(e);
                            }
                        },
                        0,
                        periodMicros,
                        TimeUnit.MICROSECONDS);
            }
            scheduler.awaitTermination(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connections.forEach(ChangeWorkload::closeQuietly);
        }
        if (!failures.isEmpty()) {
            throw failed(failures.getFirst());
        }
        return changed.sum();
    }

    /** A random key of 1..n that belongs to client k (keys k+1, k+1+clients, ...). */
    protected final long ownKey(int k, long n, SplittableRandom random) {
        long shares = Math.max(1, n / clients);
        return Math.min(n, 1 + k + clients * random.nextLong(shares));
    }

    /** Runs {@code sql} formatted with {@code args} in the workload's database. */
    protected final void execute(String sql, Object... args) {
        server.execute(database, String.format(Locale.ROOT, sql, args));
    }

    /** Whether {@code sql} (a count) answers more than zero on a connection. */
    protected static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private interface Client {
        long run(Connection c) throws SQLException;
    }

    private long run(IntFunction<Client> clientOf) {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        List<Connection> connections = new ArrayList<>();
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                Connection c = connect();
                connections.add(c);
                Client client = clientOf.apply(k);
                done.add(threads.submit(() -> client.run(c)));
            }
            long changed = 0;
            for (Future<Long> f : done) {
                changed += f.get();
            }
            return changed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException s
                    ? failed(s)
                    : new SiphonException(
                            ErrorCode.INTERNAL_ERROR, "workload failed: " + e.getCause(), e);
        } finally {
            threads.shutdownNow();
            connections.forEach(ChangeWorkload::closeQuietly);
        }
    }

    private Connection connect() {
        Connection c = server.connect(database);
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw failed(e);
        }
        return c;
    }

    private static SiphonException failed(SQLException e) {
        return new SiphonException(
                ErrorCode.CONNECTION_FAILED, "the benchmark workload failed: " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // The connection is done with; a failure to close it changes no result.
        }
    }
}
