package io.siphon.cli.demo;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live changes in the demo shop while a pipeline streams them: a few clients each insert, update
 * and delete orders, order items and customers in small transactions, each client on its own share
 * of the keys (so they never deadlock), from a fixed seed; and halfway through one {@code ALTER
 * TABLE customers ADD COLUMN loyalty_points} after which customers are written with the new column.
 * The same changes on PostgreSQL and on MariaDB, each in its own SQL.
 */
public final class ShopWorkload implements AutoCloseable {

    /** How often each client starts a transaction, at most: about 500 a second per client. */
    private static final long TICK_MICROS = 2_000;

    private static final long SEED = 20_261_127L;

    private final ShopDataset dataset;
    private final boolean mariaDb;
    private final int clients;
    private final ScheduledExecutorService scheduler;
    private final List<Connection> connections = new ArrayList<>();
    private final LongAdder inserts = new LongAdder();
    private final LongAdder updates = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean columnAdded;

    /**
     * What the workload did.
     *
     * @param inserts rows inserted
     * @param updates rows updated
     * @param deletes rows deleted
     */
    public record Counts(long inserts, long updates, long deletes) {}

    private ShopWorkload(ShopDataset dataset, boolean mariaDb, int clients) {
        this.dataset = dataset;
        this.mariaDb = mariaDb;
        this.clients = clients;
        this.scheduler =
                Executors.newScheduledThreadPool(
                        clients + 1,
                        r -> Thread.ofPlatform().daemon().name("demo-workload").unstarted(r));
    }

    /**
     * Starts the clients on a database of the shop, and schedules the column to be added after half
     * of {@code duration}. {@link #stop()} ends it.
     */
    static ShopWorkload start(
            EmbeddedServer server,
            String database,
            ShopDataset dataset,
            int clients,
            Duration duration) {
        ShopWorkload workload = new ShopWorkload(dataset, server instanceof MariaDbServer, clients);
        try {
            for (int k = 0; k < clients; k++) {
                Connection c = server.connect(database);
                c.setAutoCommit(false);
                workload.connections.add(c);
                Client client = workload.new Client(k, c);
                workload.scheduler.scheduleAtFixedRate(
                        client::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
            }
            Connection ddl = server.connect(database);
            workload.connections.add(ddl);
            workload.scheduler.schedule(
                    () -> workload.addColumn(ddl), duration.toMillis() / 2, TimeUnit.MILLISECONDS);
        } catch (SQLException e) {
            workload.close();
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED,
                    "the demo workload cannot connect: " + e.getMessage(),
                    e);
        }
        return workload;
    }

    /** Stops the clients, waits for their last transactions, and says what they did. */
    public Counts stop() {
        close();
        Exception e = failure.get();
        if (e != null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "the demo workload failed: " + e.getMessage(), e);
        }
        return new Counts(inserts.sum(), updates.sum(), deletes.sum());
    }

    private void addColumn(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE customers ADD COLUMN loyalty_points integer");
            columnAdded = true;
        } catch (SQLException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops the clients and closes their connections. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                failure.compareAndSet(null, e);
            }
        }
        connections.clear();
    }

    /** One client: keys {@code k}, {@code k + clients}, ... of each table are its own. */
    private final class Client {

        private final int k;
        private final Connection c;
        private final SplittableRandom random;
        private long nextOrder;
        private long nextCustomer;

        Client(int k, Connection c) {
            this.k = k;
            this.c = c;
            this.random = new SplittableRandom(SEED + k);
            this.nextOrder = dataset.orders() + 1 + k;
            this.nextCustomer = dataset.customers() + 1 + k;
        }

        void tick() {
            if (failure.get() != null) {
                return;
            }
            try {
                int dice = random.nextInt(100);
                if (dice < 30) {
                    insertOrder();
                } else if (dice < 50) {
                    update(
                            "UPDATE orders SET status = 'paid', total = total + 1 WHERE id = ?",
                            own(dataset.orders()));
                } else if (dice < 65) {
                    update(
                            "UPDATE order_items SET quantity = quantity + 1 WHERE order_id = ?",
                            own(dataset.orders()));
                } else if (dice < 85) {
                    update(
                            columnAdded
                                    ? "UPDATE customers SET vip = NOT vip, loyalty_points ="
                                            + " coalesce(loyalty_points, 0) + 10 WHERE id = ?"
                                    : "UPDATE customers SET vip = NOT vip, name = "
                                            + (mariaDb ? "CONCAT(name, '.')" : "name || '.'")
                                            + " WHERE id = ?",
                            own(dataset.customers()));
                } else if (dice < 95) {
                    deleteOrder(own(dataset.orders()));
                } else {
                    insertCustomer();
                }
                c.commit();
            } catch (SQLException e) {
                failure.compareAndSet(null, e);
            }
        }

        /** A random key of this client's share of 1..n. */
        private long own(long n) {
            long shares = Math.max(1, n / clients);
            return Math.min(n, 1 + k + clients * random.nextLong(shares));
        }

        private void update(String sql, long id) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, id);
                updates.add(s.executeUpdate());
            }
        }

        private void insertOrder() throws SQLException {
            long id = nextOrder;
            nextOrder += clients;
            try (PreparedStatement order =
                            c.prepareStatement(
                                    "INSERT INTO orders VALUES (?, ?, 'new', now(), "
                                            + (mariaDb
                                                    ? "CURRENT_DATE + INTERVAL 3 DAY"
                                                    : "current_date + 3")
                                            + ", ?, 'live order')");
                    PreparedStatement item =
                            c.prepareStatement("INSERT INTO order_items VALUES (?, ?, ?, ?, ?)")) {
                order.setLong(1, id);
                order.setLong(2, 1 + random.nextLong(dataset.customers()));
                order.setBigDecimal(3, BigDecimal.valueOf(random.nextInt(100_000), 2));
                inserts.add(order.executeUpdate());
                int lines = 1 + random.nextInt(3);
                for (int line = 1; line <= lines; line++) {
                    item.setLong(1, id);
                    item.setInt(2, line);
                    item.setInt(3, 1 + (int) random.nextLong(dataset.products()));
                    item.setInt(4, 1 + random.nextInt(5));
                    item.setBigDecimal(5, BigDecimal.valueOf(99 + random.nextInt(50_000), 2));
                    inserts.add(item.executeUpdate());
                }
            }
        }

        private void deleteOrder(long id) throws SQLException {
            try (PreparedStatement items =
                            c.prepareStatement("DELETE FROM order_items WHERE order_id = ?");
                    PreparedStatement order =
                            c.prepareStatement("DELETE FROM orders WHERE id = ?")) {
                items.setLong(1, id);
                deletes.add(items.executeUpdate());
                order.setLong(1, id);
                deletes.add(order.executeUpdate());
            }
        }

        private void insertCustomer() throws SQLException {
            long id = nextCustomer;
            nextCustomer += clients;
            String columns =
                    "id, email, name, country, vip, signed_up_at, tags, external_id"
                            + (columnAdded ? ", loyalty_points" : "");
            String values =
                    "?, ?, 'Live Customer', 'SE', false, now(), "
                            + (mariaDb
                                    ? "'newsletter', UUID()"
                                    : "ARRAY['live'], gen_random_uuid()")
                            + (columnAdded ? ", 100" : "");
            try (PreparedStatement s =
                    c.prepareStatement(
                            "INSERT INTO customers (" + columns + ") VALUES (" + values + ")")) {
                s.setLong(1, id);
                s.setString(2, "live" + id + "@example.com");
                inserts.add(s.executeUpdate());
            }
        }
    }
}
