package io.siphon.bench;

import io.siphon.embedded.MariaDbServer;
import io.siphon.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code accounts} workload of the PostgreSQL CDC benchmark in MySQL's SQL: transactions of
 * {@value #OPS_PER_TRANSACTION} statements on one table with a primary key, 70% update one
 * account's balance, 20% insert a new account, 10% delete an account.
 */
final class MySqlAccountsWorkload extends ChangeWorkload {

    private static final int OPS_PER_TRANSACTION = 5;
    private static final long INSERTED_KEYS = 1_000_000_000L;

    private final long[] nextInsert;

    MySqlAccountsWorkload(MariaDbServer server, String database, long rows, int clients) {
        super(server, database, rows, clients);
        this.nextInsert = new long[clients];
        for (int k = 0; k < clients; k++) {
            nextInsert[k] = INSERTED_KEYS * (k + 1);
        }
    }

    @Override
    String name() {
        return AccountsWorkload.NAME;
    }

    @Override
    String describe() {
        return OPS_PER_TRANSACTION
                + " statements a transaction on accounts: 70% update, 20% insert, 10% delete";
    }

    @Override
    List<TableId> tables() {
        return List.of(TableId.of(database, "accounts"));
    }

    /** Creates the table with accounts {@code 0..rows} (0 is the marker). */
    @Override
    void create() {
        execute(
                "CREATE TABLE accounts (aid BIGINT PRIMARY KEY, bid INT NOT NULL,"
                        + " abalance INT NOT NULL, filler TEXT)");
        execute(
                "INSERT INTO accounts SELECT seq, seq %% 100, 0, REPEAT('x', 84) FROM seq_0_to_%d",
                rows);
        execute("ANALYZE TABLE accounts");
    }

    @Override
    double eventsPerTransaction() {
        // A few statements change no row (an account already deleted).
        return OPS_PER_TRANSACTION * 0.98;
    }

    @Override
    protected long transaction(int k, Connection c) throws SQLException {
        SplittableRandom random = randoms[k];
        long changed = 0;
        try (PreparedStatement update =
                        c.prepareStatement(
                                "UPDATE accounts SET abalance = abalance + ? WHERE aid = ?");
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO accounts VALUES (?, ?, ?, REPEAT('y', 84))");
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM accounts WHERE aid = ?")) {
            for (int op = 0; op < OPS_PER_TRANSACTION; op++) {
                int dice = random.nextInt(100);
                if (dice < 70) {
                    update.setInt(1, random.nextInt(-5000, 5000));
                    update.setLong(2, ownKey(k, rows, random));
                    changed += update.executeUpdate();
                } else if (dice < 90) {
                    long aid = nextInsert[k]++;
                    insert.setLong(1, aid);
                    insert.setInt(2, (int) (aid % 100));
                    insert.setInt(3, random.nextInt(0, 10_000));
                    changed += insert.executeUpdate();
                } else {
                    delete.setLong(1, ownKey(k, rows, random));
                    changed += delete.executeUpdate();
                }
            }
            c.commit();
        }
        return changed;
    }

    @Override
    void touchMarkers(int value) {
        execute("UPDATE accounts SET abalance = %d WHERE aid = %d", value, MARKER);
    }

    @Override
    boolean markersApplied(Connection target, int value) throws SQLException {
        return exists(
                target,
                "SELECT COUNT(*) FROM accounts WHERE aid = " + MARKER + " AND abalance = " + value);
    }
}
