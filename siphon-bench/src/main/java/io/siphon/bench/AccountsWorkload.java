package io.siphon.bench;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mixed workload on one table with a primary key ({@code accounts}): transactions of {@value
 * #OPS_PER_TRANSACTION} statements, 70% update one account's balance, 20% insert a new account, 10%
 * delete an account. The same on PostgreSQL and on MySQL/MariaDB: only the table's name and how it
 * is filled differ ({@link Dialect}).
 */
final class AccountsWorkload extends ChangeWorkload {

    static final String NAME = "accounts";

    private static final int OPS_PER_TRANSACTION = 5;
    private static final long INSERTED_KEYS = 1_000_000_000L;

    /**
     * What differs between the two SQLs: the table, its name in statements, the statement that
     * fills it with accounts {@code 0..%d} and the one that refreshes its statistics.
     */
    private record Dialect(TableId table, String name, String fill, String analyze) {}

    private final Dialect dialect;
    private final long[] nextInsert;

    /** The workload on PostgreSQL, in table {@code public.accounts}. */
    AccountsWorkload(PostgresServer server, String database, long rows, int clients) {
        this(
                server,
                database,
                rows,
                clients,
                new Dialect(
                        TableId.of("public", "accounts"),
                        "public.accounts",
                        "INSERT INTO public.accounts SELECT i, (i %% 100)::int, 0, repeat('x', 84)"
                                + " FROM generate_series(0, %d) AS i",
                        "VACUUM ANALYZE public.accounts"));
    }

    /** The workload on MySQL or MariaDB, in table {@code accounts} of {@code database}. */
    AccountsWorkload(MariaDbServer server, String database, long rows, int clients) {
        this(
                server,
                database,
                rows,
                clients,
                new Dialect(
                        TableId.of(database, "accounts"),
                        "accounts",
                        "INSERT INTO accounts SELECT seq, seq %% 100, 0, REPEAT('x', 84) FROM"
                                + " seq_0_to_%d",
                        "ANALYZE TABLE accounts"));
    }

    private AccountsWorkload(
            EmbeddedServer server, String database, long rows, int clients, Dialect dialect) {
        super(server, database, rows, clients);
        this.dialect = dialect;
        this.nextInsert = new long[clients];
        for (int k = 0; k < clients; k++) {
            nextInsert[k] = INSERTED_KEYS * (k + 1);
        }
    }

    @Override
    String name() {
        return NAME;
    }

    @Override
    String describe() {
        return OPS_PER_TRANSACTION
                + " statements a transaction on accounts: 70% update, 20% insert, 10% delete";
    }

    @Override
    List<TableId> tables() {
        return List.of(dialect.table());
    }

    /** Creates the table with accounts {@code 0..rows} (0 is the marker). */
    @Override
    void create() {
        execute(
                "CREATE TABLE "
                        + dialect.name()
                        + " (aid bigint PRIMARY KEY, bid integer NOT NULL,"
                        + " abalance integer NOT NULL, filler text)");
        execute(dialect.fill(), rows);
        execute(dialect.analyze());
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
                                "UPDATE "
                                        + dialect.name()
                                        + " SET abalance = abalance + ? WHERE aid = ?");
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO "
                                        + dialect.name()
                                        + " VALUES (?, ?, ?, repeat('y', 84))");
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM " + dialect.name() + " WHERE aid = ?")) {
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
        execute("UPDATE " + dialect.name() + " SET abalance = %d WHERE aid = %d", value, MARKER);
    }

    @Override
    boolean markersApplied(Connection target, int value) throws SQLException {
        return exists(
                target,
                "SELECT count(*) FROM "
                        + dialect.name()
                        + " WHERE aid = "
                        + MARKER
                        + " AND abalance = "
                        + value);
    }
}
