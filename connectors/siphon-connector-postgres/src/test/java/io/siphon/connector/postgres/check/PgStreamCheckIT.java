package io.siphon.connector.postgres.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresConnectorFactory;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.Usage;
import io.siphon.testkit.pg.PostgresExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * check(STREAM_SOURCE) reports what change data capture needs, each problem with its fix; a
 * snapshot source (SOURCE) is not held to it.
 */
class PgStreamCheckIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @RegisterExtension
    static final PostgresExtension REPLICA = new PostgresExtension(Map.of("wal_level", "replica"));

    private static PostgresConnector connector(PostgresServer server, String db, String user) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", server.jdbcUrl(db));
        raw.put("user", user);
        raw.put("connect-timeout", "3s");
        return (PostgresConnector)
                new PostgresConnectorFactory()
                        .create(Config.of(raw, PostgresOptions.ALL, List.of("type")));
    }

    private static PostgresConnector connectorWithHeartbeat(
            PostgresServer server, String db, String user) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", server.jdbcUrl(db));
        raw.put("user", user);
        raw.put("heartbeat-interval", "50ms");
        return (PostgresConnector)
                new PostgresConnectorFactory()
                        .create(Config.of(raw, PostgresOptions.ALL, List.of("type")));
    }

    private static List<Problem> check(
            PostgresServer server, String db, String user, Usage usage, String tables) {
        try (PostgresConnector c = connector(server, db, user)) {
            return c.check(usage, Pg.tables(tables));
        }
    }

    @Test
    void aStreamingSourceWithKeysAndLogicalWalHasNoProblems() {
        String db = PG.server().createDatabase("good");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.keyed (id int PRIMARY KEY)",
                        "CREATE TABLE public.full_rows (a int)",
                        "ALTER TABLE public.full_rows REPLICA IDENTITY FULL");
        assertThat(check(PG.server(), db, "postgres", Usage.STREAM_SOURCE, "public.*")).isEmpty();
    }

    @Test
    void walLevelReplicaIsAServerSettingWithTheStatementToChangeIt() {
        String db = REPLICA.server().createDatabase("replica");
        REPLICA.server().execute(db, "CREATE TABLE public.t (id int PRIMARY KEY)");
        String address = "127.0.0.1:" + REPLICA.server().port();
        assertThat(check(REPLICA.server(), db, "postgres", Usage.STREAM_SOURCE, "public.t"))
                .containsExactly(
                        new Problem(
                                ErrorCode.SERVER_SETTING,
                                "PostgreSQL at "
                                        + address
                                        + " has wal_level = replica, but change data capture"
                                        + " needs logical",
                                "Run: ALTER SYSTEM SET wal_level = logical; then restart"
                                        + " PostgreSQL"));
        assertThat(check(REPLICA.server(), db, "postgres", Usage.SOURCE, "public.t")).isEmpty();
        try (PostgresConnector c = connector(REPLICA.server(), db, "postgres")) {
            TableSchema t = Pg.discover(c, io.siphon.model.TableId.of("public", "t"));
            assertThatThrownBy(() -> c.streamSource().prepare("p", List.of(t), null, false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.SERVER_SETTING);
                                assertThat(e.getMessage())
                                        .endsWith(
                                                "because wal_level is not logical. Run: ALTER"
                                                        + " SYSTEM SET wal_level = logical; then"
                                                        + " restart PostgreSQL");
                            });
        }
    }

    @Test
    void noFreeReplicationSlotIsAServerSetting() {
        String db = REPLICA.server().createDatabase("slots");
        REPLICA.server().execute(db, "CREATE TABLE public.t (id int PRIMARY KEY)");
        int max = Integer.parseInt(single(REPLICA.server(), db, "SHOW max_replication_slots"));
        REPLICA.server()
                .execute(
                        db,
                        "SELECT pg_create_physical_replication_slot('full_' || g) FROM"
                                + " generate_series(1, "
                                + max
                                + ") g");
        try {
            assertThat(check(REPLICA.server(), db, "postgres", Usage.STREAM_SOURCE, "public.t"))
                    .extracting(Problem::code, Problem::fix)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple(
                                    ErrorCode.SERVER_SETTING,
                                    "Drop slots no longer used (SELECT"
                                            + " pg_drop_replication_slot('<name>');), or run: ALTER"
                                            + " SYSTEM SET max_replication_slots = "
                                            + (max + 1)
                                            + "; then restart PostgreSQL"));
        } finally {
            REPLICA.server()
                    .execute(
                            db,
                            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                    + " WHERE slot_name LIKE 'full\\_%'");
        }
    }

    @Test
    void aUserWithoutReplicationIsToldTheAlterRole() {
        String db = PG.server().createDatabase("norepl");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.t (id int PRIMARY KEY)",
                        "CREATE ROLE dave LOGIN",
                        "GRANT SELECT ON public.t TO dave");
        assertThat(check(PG.server(), db, "dave", Usage.STREAM_SOURCE, "public.t"))
                .containsExactly(
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User dave may not stream changes: it lacks the REPLICATION"
                                        + " attribute",
                                "Run: ALTER ROLE \"dave\" WITH REPLICATION;"),
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User dave does not own table public.t, which adding it to the"
                                        + " pipeline's publication needs",
                                "Let the owner or a superuser create the publication (CREATE"
                                        + " PUBLICATION siphon_pub FOR TABLE \"public\".\"t\","
                                        + " ...;) and set 'publication-name: siphon_pub'"));
        assertThat(check(PG.server(), db, "dave", Usage.SOURCE, "public.t")).isEmpty();
        try (PostgresConnector c = connector(PG.server(), db, "dave")) {
            TableSchema t = Pg.discover(c, io.siphon.model.TableId.of("public", "t"));
            assertThatThrownBy(() -> c.streamSource().prepare("dave-pipe", List.of(t), null, false))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                                assertThat(e.getMessage())
                                        .startsWith(
                                                "User dave may not create publication"
                                                        + " siphon_dave_pipe")
                                        .contains(
                                                "CREATE PUBLICATION \"siphon_dave_pipe\" FOR"
                                                        + " TABLE \"public\".\"t\"");
                            });
            assertThatThrownBy(
                            () ->
                                    c.streamSource()
                                            .open(
                                                    "dave-pipe",
                                                    List.of(t),
                                                    io.siphon.connector.postgres.cdc.PgLsn.parse(
                                                            "0/1")))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                                assertThat(e.getMessage())
                                        .endsWith("Run: ALTER ROLE \"dave\" WITH REPLICATION;");
                            });
        }
    }

    @Test
    void aUserWhoOwnsTheTablesAndMayReplicateHasNoProblems() {
        String db = PG.server().createDatabase("owner");
        PG.server()
                .execute(
                        db,
                        "CREATE ROLE erin LOGIN REPLICATION",
                        "CREATE TABLE public.t (id int PRIMARY KEY)",
                        "ALTER TABLE public.t OWNER TO erin",
                        "GRANT CREATE ON DATABASE " + db + " TO erin");
        assertThat(check(PG.server(), db, "erin", Usage.STREAM_SOURCE, "public.t")).isEmpty();
        try (PostgresConnector c = connector(PG.server(), db, "erin")) {
            TableSchema t = Pg.discover(c, io.siphon.model.TableId.of("public", "t"));
            var start = c.streamSource().prepare("erin-pipe", List.of(t), null, false);
            // Heartbeats need no more than the REPLICATION attribute.
            try (PostgresConnector beating = connectorWithHeartbeat(PG.server(), db, "erin");
                    var stream =
                            beating.streamSource().open("erin-pipe", List.of(t), start.start())) {
                long end = System.nanoTime() + 500_000_000L;
                while (System.nanoTime() < end) {
                    stream.poll(java.time.Duration.ofMillis(100));
                }
                assertThat(stream.safePosition()).isNotEqualTo(start.start());
            }
            c.streamSource().drop("erin-pipe", start.start(), false);
        }
    }

    @Test
    void replicaIdentityNothingOrNoKeyComesWithTheAlterTable() {
        String db = PG.server().createDatabase("identity");
        PG.server()
                .execute(
                        db,
                        "CREATE TABLE public.keyed (id int PRIMARY KEY)",
                        "CREATE TABLE public.nothing (id int PRIMARY KEY)",
                        "ALTER TABLE public.nothing REPLICA IDENTITY NOTHING",
                        "CREATE TABLE public.keyless (a int)",
                        "CREATE TABLE public.\"Full\" (a int)",
                        "ALTER TABLE public.\"Full\" REPLICA IDENTITY FULL",
                        "CREATE TABLE public.by_index (a int NOT NULL)",
                        "CREATE UNIQUE INDEX by_index_a ON public.by_index (a)",
                        "ALTER TABLE public.by_index REPLICA IDENTITY USING INDEX by_index_a");
        assertThat(check(PG.server(), db, "postgres", Usage.STREAM_SOURCE, "public.*"))
                .containsExactly(
                        new Problem(
                                ErrorCode.SERVER_SETTING,
                                "Table public.keyless has no primary key and REPLICA IDENTITY"
                                        + " DEFAULT, so PostgreSQL logs no key for its updates and"
                                        + " deletes (and refuses them once the table is"
                                        + " published); add a primary key, or log whole rows",
                                "Run: ALTER TABLE \"public\".\"keyless\" REPLICA IDENTITY FULL;"),
                        new Problem(
                                ErrorCode.SERVER_SETTING,
                                "Table public.nothing has REPLICA IDENTITY NOTHING, so PostgreSQL"
                                        + " logs no key for its updates and deletes (and refuses"
                                        + " them once the table is published)",
                                "Run: ALTER TABLE \"public\".\"nothing\" REPLICA IDENTITY FULL;"));
    }

    private static String single(PostgresServer server, String db, String sql) {
        try (var c = server.connect(db);
                var s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
