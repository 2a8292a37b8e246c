package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * pgbench's own TPC-B-like script: small transactions of three updates and one insert (account,
 * teller and branch balances, a history row) and a read, on pgbench's four tables. Differences from
 * {@code pgbench -i}, each for a reason: {@code pgbench_history} has a {@code bigserial} key (a
 * replicator needs a key to apply changes exactly; pgbench's has none), there are at least as many
 * branches as clients and each client changes only its own branches, tellers and accounts (pgbench
 * at a small scale makes every client wait on the one branch row, which measures lock waits, not
 * replication).
 */
final class TpcbWorkload extends ChangeWorkload {

    static final String NAME = "tpcb";

    private static final int TELLERS_PER_BRANCH = 10;
    private static final long ACCOUNTS_PER_BRANCH = 100_000;

    private final long branches;

    TpcbWorkload(PostgresServer server, String database, long rows, int clients) {
        super(server, database, rows, clients);
        this.branches = Math.max(clients, rows / ACCOUNTS_PER_BRANCH);
    }

    @Override
    String name() {
        return NAME;
    }

    @Override
    String describe() {
        return "pgbench's TPC-B-like transaction: update account, teller, branch, insert history";
    }

    @Override
    List<TableId> tables() {
        return List.of(
                TableId.of("public", "pgbench_branches"),
                TableId.of("public", "pgbench_tellers"),
                TableId.of("public", "pgbench_accounts"),
                TableId.of("public", "pgbench_history"));
    }

    /** Creates pgbench's tables with keys 0..n (0 is each table's marker). */
    @Override
    void create() {
        execute(
                "CREATE TABLE public.pgbench_branches (bid integer PRIMARY KEY, bbalance integer"
                        + " NOT NULL, filler char(88))");
        execute(
                "CREATE TABLE public.pgbench_tellers (tid integer PRIMARY KEY, bid integer NOT"
                        + " NULL, tbalance integer NOT NULL, filler char(84))");
        execute(
                "CREATE TABLE public.pgbench_accounts (aid integer PRIMARY KEY, bid integer NOT"
                        + " NULL, abalance integer NOT NULL, filler char(84))");
        execute(
                "CREATE TABLE public.pgbench_history (hid bigserial PRIMARY KEY, tid integer, bid"
                        + " integer, aid integer, delta integer, mtime timestamp, filler"
                        + " char(22))");
        execute(
                "INSERT INTO public.pgbench_branches SELECT i, 0, NULL FROM generate_series(0,"
                        + " %d) AS i",
                branches);
        execute(
                "INSERT INTO public.pgbench_tellers SELECT i, greatest(1, (i - 1) / %d + 1), 0,"
                        + " NULL FROM generate_series(0, %d) AS i",
                TELLERS_PER_BRANCH, branches * TELLERS_PER_BRANCH);
        execute(
                "INSERT INTO public.pgbench_accounts SELECT i, greatest(1, (i - 1) %% %d + 1), 0,"
                        + " '' FROM generate_series(0, %d) AS i",
                branches, rows);
        execute(
                "INSERT INTO public.pgbench_history (hid, tid, bid, aid, delta) VALUES (0, 0, 0, 0, 0)");
        execute("VACUUM ANALYZE");
    }

    @Override
    double eventsPerTransaction() {
        return 4;
    }

    @Override
    protected long transaction(int k, Connection c) throws SQLException {
        SplittableRandom random = randoms[k];
        // Client k owns branches k+1, k+1+clients, ..., their tellers, and the accounts whose
        // keys it draws: no two clients wait for each other's row locks.
        long bid = ownKey(k, branches, random);
        long tid = (bid - 1) * TELLERS_PER_BRANCH + 1 + random.nextInt(TELLERS_PER_BRANCH);
        long aid = ownKey(k, rows, random);
        int delta = random.nextInt(-5000, 5001);
        long changed = 0;
        try (PreparedStatement account =
                        c.prepareStatement(
                                "UPDATE public.pgbench_accounts SET abalance = abalance + ? WHERE"
                                        + " aid = ?");
                PreparedStatement balance =
                        c.prepareStatement(
                                "SELECT abalance FROM public.pgbench_accounts WHERE aid = ?");
                PreparedStatement teller =
                        c.prepareStatement(
                                "UPDATE public.pgbench_tellers SET tbalance = tbalance + ? WHERE"
                                        + " tid = ?");
                PreparedStatement branch =
                        c.prepareStatement(
                                "UPDATE public.pgbench_branches SET bbalance = bbalance + ? WHERE"
                                        + " bid = ?");
                PreparedStatement history =
                        c.prepareStatement(
                                "INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime)"
                                        + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            account.setInt(1, delta);
            account.setLong(2, aid);
            changed += account.executeUpdate();
            balance.setLong(1, aid);
            balance.executeQuery().close();
            teller.setInt(1, delta);
            teller.setLong(2, tid);
            changed += teller.executeUpdate();
            branch.setInt(1, delta);
            branch.setLong(2, bid);
            changed += branch.executeUpdate();
            history.setLong(1, tid);
            history.setLong(2, bid);
            history.setLong(3, aid);
            history.setInt(4, delta);
            changed += history.executeUpdate();
            c.commit();
        }
        return changed;
    }

    @Override
    void touchMarkers(int value) {
        execute(
                "BEGIN; UPDATE public.pgbench_branches SET bbalance = %1$d WHERE bid = 0;"
                        + " UPDATE public.pgbench_tellers SET tbalance = %1$d WHERE tid = 0;"
                        + " UPDATE public.pgbench_accounts SET abalance = %1$d WHERE aid = 0;"
                        + " UPDATE public.pgbench_history SET delta = %1$d WHERE hid = 0; COMMIT",
                value);
    }

    @Override
    boolean markersApplied(Connection target, int value) throws SQLException {
        // Siphon applies tables independently (no cross-table atomicity), so each table's own
        // marker says that table is complete.
        return exists(
                target,
                ("SELECT count(*) FROM public.pgbench_branches b, public.pgbench_tellers t,"
                                + " public.pgbench_accounts a, public.pgbench_history h WHERE"
                                + " b.bid = 0 AND b.bbalance = %1$d AND t.tid = 0 AND t.tbalance ="
                                + " %1$d AND a.aid = 0 AND a.abalance = %1$d AND h.hid = 0 AND"
                                + " h.delta = %1$d")
                        .formatted(value));
    }
}
