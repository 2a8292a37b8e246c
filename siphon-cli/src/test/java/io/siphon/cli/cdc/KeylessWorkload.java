package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inserts identical rows into a keyless {@code history (account, delta, note)} table, updates and
 * deletes one of several identical rows, and now and then inserts a few thousand rows in one
 * transaction, on its own thread until closed. Seeded.
 */
final class KeylessWorkload implements AutoCloseable {

    /** The statements of one server family: one row of an account is updated or deleted. */
    private record Statements(String insert, String update, String delete, String bulk) {}

    private final EmbeddedServer server;
    private final String database;
    private final Statements sql;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong transactions = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;

    private KeylessWorkload(EmbeddedServer server, String database, Statements sql, long seed) {
        this.server = server;
        this.database = database;
        this.sql = sql;
        this.thread = Thread.ofPlatform().name("keyless-workload").start(() -> run(seed));
    }

    /** A workload on PostgreSQL, which picks the one row by {@code ctid}. */
    static KeylessWorkload postgres(PostgresServer server, String database, long seed) {
        return new KeylessWorkload(
                server,
                database,
                new Statements(
                        "INSERT INTO history VALUES (?, ?, ?)",
                        "UPDATE history SET delta = delta + 1 WHERE ctid = (SELECT ctid FROM"
                                + " history WHERE account = ? LIMIT 1)",
                        "DELETE FROM history WHERE ctid = (SELECT ctid FROM history WHERE"
                                + " account = ? LIMIT 1)",
                        "INSERT INTO history SELECT g % 50, 1, 'bulk' FROM generate_series(1,"
                                + " 2500) g"),
                seed);
    }

    /** A workload on MariaDB, which picks the one row with {@code LIMIT 1}. */
    static KeylessWorkload mariaDb(MariaDbServer server, String database, long seed) {
        return new KeylessWorkload(
                server,
                database,
                new Statements(
                        "INSERT INTO history VALUES (?, ?, ?)",
                        "UPDATE history SET delta = delta + 1 WHERE account = ? LIMIT 1",
                        "DELETE FROM history WHERE account = ? LIMIT 1",
                        "INSERT INTO history SELECT seq % 50, 1, 'bulk' FROM seq_1_to_2500"),
                seed);
    }

    long transactions() {
        return transactions.get();
    }

    private void run(long seed) {
        Random random = new Random(seed);
        try (Connection c = server.connect(database)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(sql.insert());
                    PreparedStatement update = c.prepareStatement(sql.update());
                    PreparedStatement delete = c.prepareStatement(sql.delete());
                    PreparedStatement bulk = c.prepareStatement(sql.bulk())) {
                while (running.get()) {
                    if (random.nextInt(100) == 0) {
                        bulk.executeUpdate();
                    } else {
                        int ops = 1 + random.nextInt(10);
                        for (int i = 0; i < ops; i++) {
                            int dice = random.nextInt(100);
                            PreparedStatement s = dice < 50 ? insert : dice < 80 ? update : delete;
                            s.setInt(1, random.nextInt(300));
                            if (s == insert) {
                                s.setInt(2, random.nextInt(3));
                                s.setString(3, random.nextBoolean() ? null : "seed");
                            }
                            s.executeUpdate();
                        }
                    }
                    c.commit();
                    transactions.incrementAndGet();
                    Thread.sleep(2);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofMinutes(1));
        assertThat(failure).as("the workload failed").isNull();
    }
}
