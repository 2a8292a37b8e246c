package io.siphon.connector.postgres.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.Usage;
import io.siphon.testkit.pg.NonSuperuserSource;
import io.siphon.testkit.pg.PostgresExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** check() reports every problem with its fix, and never throws for one it can describe. */
class ConnectorCheckIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static List<Problem> check(PostgresConnector c, Usage usage, String... tables) {
        try (c) {
            return c.check(usage, tables.length == 0 ? null : Pg.tables(tables));
        }
    }

    private String databaseWithTables(String... tables) {
        String db = PG.server().createDatabase("check");
        for (String t : tables) {
            PG.server().execute(db, "CREATE TABLE public." + t + " (id int PRIMARY KEY)");
        }
        return db;
    }

    /**
     * The embedded server trusts local connections; a rule in front of the others makes it ask this
     * role for its password.
     */
    private static void requirePasswordFor(String role) {
        PG.server()
                .execute(
                        "postgres",
                        "DO $$ DECLARE o oid; BEGIN"
                                + " o := lo_from_bytea(0, convert_to('host all "
                                + role
                                + " 127.0.0.1/32 scram-sha-256' || chr(10)"
                                + " || pg_read_file(current_setting('hba_file')), 'UTF8'));"
                                + " PERFORM lo_export(o, current_setting('hba_file'));"
                                + " PERFORM lo_unlink(o); END $$",
                        "SELECT pg_reload_conf()");
    }

    @Test
    void aViewOrAPartitionNamedInTablesIsSaidToBeOneWithWhatToNameInstead() {
        String db =
                NonSuperuserSource.create(
                        PG.server(),
                        "check",
                        "CREATE TABLE shop.orders (id int PRIMARY KEY)",
                        "CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE id > 10",
                        "CREATE TABLE shop.events (id int, at date, PRIMARY KEY (id, at))"
                                + " PARTITION BY RANGE (at)",
                        "CREATE TABLE shop.events_2026 PARTITION OF shop.events FOR VALUES"
                                + " FROM ('2026-01-01') TO ('2027-01-01')",
                        "CREATE PUBLICATION siphon_pub FOR TABLE shop.orders, shop.events");
        String url = PG.server().jdbcUrl(db);

        assertThat(
                        check(
                                Pg.connector(url, NonSuperuserSource.SIPHON, null),
                                Usage.SOURCE,
                                "shop.big_orders",
                                "shop.events_2026"))
                .containsExactly(
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "shop.big_orders in 'tables' is a view, not a table: a view"
                                        + " holds no rows of its own and PostgreSQL streams no"
                                        + " changes of it",
                                "Name the tables it reads in 'tables' instead"),
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "shop.events_2026 in 'tables' is a partition of shop.events:"
                                        + " Siphon takes a partitioned table whole (its"
                                        + " partitions' rows and changes travel as its own)",
                                "Name shop.events in 'tables' instead"));
    }

    @Test
    void aPatternOrAnExcludePatternThatMatchesNothingIsAnError() {
        String db = databaseWithTables("orders", "order_items");
        String url = PG.server().jdbcUrl(db);
        try (PostgresConnector c = Pg.connector(url, "postgres", null)) {
            List<Problem> problems =
                    c.check(
                            Usage.SOURCE,
                            io.siphon.spi.TableFilter.of(
                                    List.of("public.order.*", "sales.*"),
                                    List.of("public.order_itmes")));

            assertThat(problems)
                    .extracting(Problem::code, Problem::message)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    ErrorCode.TABLE_NOT_FOUND,
                                    "Pattern 'sales.*' in 'tables' matches no table"),
                            org.assertj.core.groups.Tuple.tuple(
                                    ErrorCode.TABLE_NOT_FOUND,
                                    "Pattern 'public.order_itmes' in 'exclude-tables' matches no"
                                            + " table, so it leaves nothing out"));
            assertThat(problems.get(1).fix())
                    .startsWith("did you mean public.order_items? Check the name");
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailure() {
        String db = databaseWithTables("orders");
        PG.server().execute(db, "CREATE ROLE alice LOGIN PASSWORD 'right'");
        requirePasswordFor("alice");
        String url = PG.server().jdbcUrl(db);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(
                                                check(
                                                        Pg.connector(url, "alice", "wrong"),
                                                        Usage.SOURCE,
                                                        "public.orders"))
                                        .extracting(Problem::code)
                                        .containsExactly(ErrorCode.AUTH_FAILED));
        Problem p = check(Pg.connector(url, "alice", "wrong"), Usage.SOURCE, "orders").get(0);
        assertThat(p.message()).contains("refused user 'alice'").contains(db);
        assertThat(p.fix()).contains("'password'");
        assertThat(check(Pg.connector(url, "alice", "right"), Usage.SOURCE, "orders"))
                .extracting(Problem::code)
                .containsExactly(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void anUnreachablePortIsAConnectionFailureNamingHostAndPort() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<Problem> problems =
                check(
                        Pg.connector("jdbc:postgresql://127.0.0.1:" + port + "/db", "x", "y"),
                        Usage.SOURCE,
                        "public.orders");
        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCode.CONNECTION_FAILED);
        assertThat(problems.get(0).message()).contains("127.0.0.1:" + port);
        assertThat(problems.get(0).fix())
                .contains("the server is running and listening on 127.0.0.1:" + port);
        assertThat(ErrorCode.CONNECTION_FAILED.retriable()).isTrue();
    }

    @Test
    void aMissingDatabaseIsNamedWithTheStatementToCreateIt() {
        List<Problem> problems =
                check(
                        Pg.connector(PG.server().jdbcUrl("no_such_db"), "postgres", null),
                        Usage.SOURCE,
                        "public.orders");
        assertThat(problems)
                .extracting(Problem::code)
                .containsExactly(ErrorCode.CONFIG_INVALID_VALUE);
        assertThat(problems.get(0).message()).contains("'no_such_db' does not exist");
        assertThat(problems.get(0).fix()).contains("CREATE DATABASE \"no_such_db\"");
    }

    @Test
    void aTableTheUserMayNotReadComesWithTheGrantStatement() {
        String db = databaseWithTables("t_open", "t_secret", "t_also_secret");
        PG.server().execute(db, "CREATE ROLE bob LOGIN", "GRANT SELECT ON t_open TO bob");
        List<Problem> problems =
                check(
                        Pg.connector(PG.server().jdbcUrl(db), "bob", null),
                        Usage.SOURCE,
                        "public.t_.*");
        assertThat(problems)
                .containsExactly(
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User bob may not read table public.t_also_secret",
                                "Run: GRANT SELECT ON TABLE \"public\".\"t_also_secret\" TO \"bob\";"),
                        new Problem(
                                ErrorCode.PERMISSION_DENIED,
                                "User bob may not read table public.t_secret",
                                "Run: GRANT SELECT ON TABLE \"public\".\"t_secret\" TO \"bob\";"));
    }

    @Test
    void aLiteralTableThatDoesNotExistIsNamedWithTheNearestName() {
        String db = databaseWithTables("orders", "customers");
        List<Problem> problems =
                check(
                        Pg.connector(PG.server(), db),
                        Usage.SOURCE,
                        "public.orderz",
                        "customers",
                        "\"Missing\"");
        assertThat(problems)
                .containsExactly(
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "Table public.orderz does not exist",
                                "Check the name in 'tables' (names are case-sensitive); did you"
                                        + " mean public.orders?"),
                        new Problem(
                                ErrorCode.TABLE_NOT_FOUND,
                                "Table public.\"Missing\" does not exist",
                                "Check the name in 'tables' (names are case-sensitive)"));
    }

    @Test
    void patternsThatMatchNothingAreOneProblem() {
        String db = databaseWithTables("orders");
        List<Problem> problems = check(Pg.connector(PG.server(), db), Usage.SOURCE, "sales.*");
        assertThat(problems).extracting(Problem::code).containsExactly(ErrorCode.TABLE_NOT_FOUND);
        assertThat(problems.get(0).fix()).contains("public.orders");
    }

    @Test
    void aGoodSourceAndSinkHaveNoProblems() {
        String db = databaseWithTables("orders");
        assertThat(check(Pg.connector(PG.server(), db), Usage.SOURCE, "public.*")).isEmpty();
        assertThat(check(Pg.connector(PG.server(), db), Usage.SINK, "analytics.orders")).isEmpty();
    }

    @Test
    void aSinkUserWithoutCreateOnTheSchemaIsToldWhatToGrant() {
        String db = databaseWithTables("existing");
        PG.server()
                .execute(
                        db,
                        "CREATE ROLE carol LOGIN",
                        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                        "REVOKE TEMPORARY ON DATABASE " + db + " FROM PUBLIC",
                        "GRANT SELECT ON public.existing TO carol");
        List<Problem> problems =
                check(
                        Pg.connector(PG.server().jdbcUrl(db), "carol", null),
                        Usage.SINK,
                        "public.existing",
                        "staging.orders",
                        "public.fresh",
                        "*.*");
        assertThat(problems)
                .extracting(Problem::fix)
                .containsExactly(
                        "Run: GRANT TEMPORARY ON DATABASE \"" + db + "\" TO \"carol\";",
                        "Run: GRANT SELECT, INSERT, UPDATE ON TABLE \"public\".\"existing\" TO"
                                + " \"carol\";",
                        "Run: CREATE SCHEMA \"staging\" AUTHORIZATION \"carol\"; (or GRANT"
                                + " CREATE ON DATABASE \""
                                + db
                                + "\" TO \"carol\";)",
                        "Run: GRANT USAGE, CREATE ON SCHEMA \"public\" TO \"carol\";");
        assertThat(problems).extracting(Problem::code).containsOnly(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void problemsTurnIntoExceptionsWithTheirFix() {
        Problem p = new Problem(ErrorCode.AUTH_FAILED, "refused", "check the password");
        SiphonException e = p.toException();
        assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(e.getMessage()).isEqualTo("refused. check the password");
    }
}
