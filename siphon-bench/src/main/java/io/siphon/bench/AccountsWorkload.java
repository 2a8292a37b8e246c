package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The change benchmark's workload, pgbench-like, on one table with a primary key ({@code
 * accounts}): several clients, each a transaction after another of {@value #OPS_PER_TRANSACTION}
 * statements: 70% update one account's balance, 20% insert a new account, 10% delete an account.
 * Each client works on its own share of the keys (no lock waits between clients) with a random
 * generator from a fixed seed, so every run does the same sequence of changes.
 */
final class AccountsWorkload {

    static final String TABLE = "public.accounts";

    static final String DDL =
            "CREATE TABLE public.accounts (aid bigint PRIMARY KEY, bid integer NOT NULL, abalance"
                    + " integer NOT NULL, filler text)";

    /** The row the benchmark changes last: once the target has it, it has everything before. */
    static final long MARKER = 0;

    private static final int OPS_PER_TRANSACTION = 5;
    private static final long SEED = 42;
    private static final long INSERTED_KEYS = 1_000_000_000L;

    private final PostgresServer server;
    private final String database;
    private final long rows;
    private final int clients;
    private final long[] nextInsert;
    private final SplittableRandom[] randoms;

    AccountsWorkload(PostgresServer server, String database, long rows, int clients) {
        this.server = server;
        this.database = database;
        this.rows = rows;
        this.clients = clients;
        this.nextInsert = new long[clients];
        this.randoms = new SplittableRandom[clients];
        for (int k = 0; k < clients; k++) {
            nextInsert[k] = INSERTED_KEYS * (k + 1);
            randoms[k] = new SplittableRandom(SEED + k);
        }
    }

    /** Creates the table with accounts {@code 0..rows} (0 is the marker) in a database. */
    static void create(PostgresServer server, String database, long rows) {
        server.execute(
                database,
                DDL,
                "INSERT INTO public.accounts SELECT i, (i % 100)::int, 0, repeat('x', 84) FROM"
                        + " generate_series(0, "
                        + rows
                        + ") AS i",
                "VACUUM ANALYZE public.accounts");
    }

    /**
     * Runs the clients as fast as they go for {@code duration}.
     *
     * @return rows changed (inserted, updated, deleted)
     */
    long runFlatOut(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        return run(
                k ->
                        c -> {
                            long changed = 0;
                            while (System.nanoTime() < deadline) {
                                changed += transaction(k, c);
                            }
                            return changed;
                        });
    }

    /**
     * Runs the clients for {@code duration} at about {@code transactionsPerSecond} in all, spread
     * evenly over the clients by a scheduler.
     *
     * @return rows changed
     */
    long runAtRate(Duration duration, double transactionsPerSecond) {
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
            connections.forEach(AccountsWorkload::closeQuietly);
        }
        if (!failures.isEmpty()) {
            throw failed(failures.getFirst());
        }
        return changed.sum();
    }

    /** Sets the marker's balance in its own, last transaction. */
    void touchMarker(int value) {
        server.execute(
                database,
                "UPDATE public.accounts SET abalance = " + value + " WHERE aid = " + MARKER);
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
            connections.forEach(AccountsWorkload::closeQuietly);
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

    /** One transaction of client {@code k}; returns the rows it changed. */
    private long transaction(int k, Connection c) throws SQLException {
        SplittableRandom random = randoms[k];
        long changed = 0;
        try (PreparedStatement update =
                        c.prepareStatement(
                                "UPDATE public.accounts SET abalance = abalance + ? WHERE aid = ?");
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO public.accounts VALUES (?, ?, ?, repeat('y', 84))");
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM public.accounts WHERE aid = ?")) {
            for (int op = 0; op < OPS_PER_TRANSACTION; op++) {
                int dice = random.nextInt(100);
                if (dice < 70) {
                    update.setInt(1, random.nextInt(-5000, 5000));
                    update.setLong(2, ownKey(k, random));
                    changed += update.executeUpdate();
                } else if (dice < 90) {
                    long aid = nextInsert[k]++;
                    insert.setLong(1, aid);
                    insert.setInt(2, (int) (aid % 100));
                    insert.setInt(3, random.nextInt(0, 10_000));
                    changed += insert.executeUpdate();
                } else {
                    delete.setLong(1, ownKey(k, random));
                    changed += delete.executeUpdate();
                }
            }
            c.commit();
        }
        return changed;
    }

    /** A random key of 1..rows that belongs to client k. */
    private long ownKey(int k, SplittableRandom random) {
        long shares = Math.max(1, rows / clients);
        return Math.min(rows, 1 + k + clients * random.nextLong(shares));
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
