package io.siphon.cli.cdc;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inserts, updates and deletes rows of an {@code items} table (PostgreSQL or MariaDB) in small
 * transactions on its own thread until stopped; rides out a source restart by reconnecting. Seeded,
 * so a failure can be replayed.
 */
final class ChangeWorkload implements AutoCloseable {

    static final String DDL =
            "CREATE TABLE items (id bigint PRIMARY KEY, name varchar(10), qty int, price"
                    + " numeric(10,2), updated timestamptz, note text)";

    private final EmbeddedServer server;
    private final String database;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong transactions = new AtomicLong();
    private final Thread thread;
    private final long firstNewId;
    private final long nanosPerChange;
    private final AtomicLong changes = new AtomicLong();
    private volatile Throwable failure;

    ChangeWorkload(EmbeddedServer server, String database, long existingRows, long seed) {
        this(server, database, existingRows, seed, 0);
    }

    /** A workload of about {@code changesPerSecond} row changes a second (0: as fast as it can). */
    ChangeWorkload(
            EmbeddedServer server,
            String database,
            long existingRows,
            long seed,
            int changesPerSecond) {
        this.server = server;
        this.database = database;
        this.firstNewId = existingRows + 1;
        this.nanosPerChange = changesPerSecond == 0 ? 0 : 1_000_000_000L / changesPerSecond;
        this.thread = Thread.ofPlatform().name("workload-" + database).start(() -> run(seed));
    }

    /** Creates {@code items} with {@code rows} rows, ids 1..rows. */
    static void createItems(PostgresServer server, String database, long rows) {
        server.execute(
                database,
                DDL,
                "INSERT INTO items SELECT g, 'n' || (g % 1000), g % 97, (g % 10000) / 100.0,"
                        + " '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 second',"
                        + " CASE WHEN g % 7 = 0 THEN NULL ELSE repeat('x', (g % 50)::int) END"
                        + " FROM generate_series(1, "
                        + rows
                        + ") g");
    }

    /** Creates {@code items} in MariaDB with {@code rows} rows, ids 1..rows, as above. */
    static void createItems(MariaDbServer server, String database, long rows) {
        server.execute(
                database,
                "CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(10), qty INT, price"
                        + " DECIMAL(10,2), updated TIMESTAMP(6) NULL, note TEXT)",
                "INSERT INTO items SELECT seq, CONCAT('n', seq % 1000), seq % 97,"
                        + " (seq % 10000) / 100.0,"
                        + " TIMESTAMP('2026-01-01 00:00:00') + INTERVAL seq SECOND,"
                        + " CASE WHEN seq % 7 = 0 THEN NULL ELSE REPEAT('x', seq % 50) END"
                        + " FROM seq_1_to_"
                        + rows);
    }

    private void run(long seed) {
        Random random = new Random(seed);
        long nextId = firstNewId;
        long start = System.nanoTime();
        while (running.get()) {
            try (Connection c = server.connect(database)) {
                c.setAutoCommit(false);
                try (PreparedStatement insert =
                                c.prepareStatement(
                                        "INSERT INTO items VALUES (?, ?, ?, ?, now(), ?)");
                        PreparedStatement update =
                                c.prepareStatement(
                                        "UPDATE items SET qty = qty + 1, name = ?, updated = now()"
                                                + " WHERE id = ?");
                        PreparedStatement delete =
                                c.prepareStatement("DELETE FROM items WHERE id = ?")) {
                    while (running.get()) {
                        int ops = 1 + random.nextInt(10);
                        for (int i = 0; i < ops; i++) {
                            int dice = random.nextInt(100);
                            if (dice < 50) {
                                insert.setLong(1, nextId++);
                                insert.setString(2, "w" + random.nextInt(1000));
                                insert.setInt(3, random.nextInt(100));
                                insert.setBigDecimal(
                                        4, java.math.BigDecimal.valueOf(random.nextInt(100000), 2));
                                insert.setString(5, random.nextBoolean() ? null : "note");
                                insert.executeUpdate();
                            } else if (dice < 85) {
                                update.setString(1, "u" + random.nextInt(1000));
                                update.setLong(2, 1 + (long) random.nextInt((int) nextId));
                                update.executeUpdate();
                            } else {
                                delete.setLong(1, 1 + (long) random.nextInt((int) nextId));
                                delete.executeUpdate();
                            }
                        }
                        c.commit();
                        transactions.incrementAndGet();
                        long ahead =
                                start + changes.addAndGet(ops) * nanosPerChange - System.nanoTime();
                        if (ahead > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // The source restarting: wait a moment and reconnect. Anything else is kept.
                if (!running.get()) {
                    return;
                }
                if (!(e instanceof SQLException s)
                        || s.getSQLState() == null
                        || !(s.getSQLState().startsWith("08")
                                || s.getSQLState().startsWith("57"))) {
                    if (!(e instanceof io.siphon.spi.SiphonException)) {
                        failure = e;
                        return;
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Row changes committed so far. */
    long changes() {
        return changes.get();
    }

    /** Committed transactions so far. */
    long transactions() {
        return transactions.get();
    }

    /** Stops the workload after its current transaction and rethrows what broke it, if anything. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new AssertionError("the workload failed", failure);
        }
    }
}
