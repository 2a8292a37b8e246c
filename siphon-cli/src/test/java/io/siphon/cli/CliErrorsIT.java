package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.testkit.pg.PostgresExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real command line: each mistake a user can make ends with exit code 1 and
 * one clear {@code error [CODE]: ...} block that says what to do, never a stack trace.
 */
class CliErrorsIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    private String sourceDb;
    private String targetDb;

    @BeforeEach
    void databases() {
        sourceDb = PG.server().createDatabase("src");
        targetDb = PG.server().createDatabase("dst");
        PG.server()
                .execute(
                        sourceDb,
                        "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2))");
    }

    @Test
    void unknownKeyNamesItsLineAndTheNearestValidKey() throws IOException {
        Path spec =
                spec(
                        """
                        name: typo
                        source:
                          type: postgres
                          url: %s
                          user: postgres
                          tabels: [public.orders]
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                        """
                                .formatted(url(sourceDb), url(targetDb)));

        CliOutcome outcome = run(spec);

        assertFailedWith(outcome, "CONFIG_UNKNOWN_KEY");
        assertThat(outcome.err())
                .isEqualTo(
                        "error [CONFIG_UNKNOWN_KEY]: "
                                + spec
                                + ":6: source: unknown key 'tabels': did you mean 'tables'?\n");
    }

    @Test
    void missingRequiredKeySaysWhichAndWhere() throws IOException {
        Path spec =
                spec(
                        """
                        name: no-url
                        source:
                          type: postgres
                          user: postgres
                        sink:
                          type: postgres
                          url: %s
                        """
                                .formatted(url(targetDb)));

        CliOutcome outcome = run(spec);

        assertFailedWith(outcome, "CONFIG_MISSING_KEY");
        assertThat(outcome.err())
                .startsWith(
                        "error [CONFIG_MISSING_KEY]: "
                                + spec
                                + ":3: source: missing required key 'url': ");
    }

    @Test
    void aValueTheTargetRefusesNamesTheTableColumnAndKey() throws IOException {
        PG.server()
                .execute(
                        sourceDb,
                        "CREATE TABLE items (id int PRIMARY KEY, code text)",
                        "INSERT INTO items VALUES (1, '12'), (2, 'x7'), (3, '30')");
        PG.server().execute(targetDb, "CREATE TABLE items (id int PRIMARY KEY, code int)");
        Path spec = pipeline(url(sourceDb), "postgres", null, "public.items");

        CliOutcome outcome = run(spec);

        assertFailedWith(outcome, "DATA_INVALID");
        assertThat(outcome.err())
                .contains(
                        "PostgreSQL failed while writing to public.items (column code, key"
                                + " (id)=(2)): ");
    }

    @Test
    void aHostNameThatDoesNotResolveSaysDns() throws IOException {
        Path spec =
                pipeline(
                        "jdbc:postgresql://no-such-host.invalid:5432/nowhere",
                        "postgres",
                        null,
                        "public.orders");

        CliOutcome outcome =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("state").toString());

        assertFailedWith(outcome, "CONNECTION_FAILED");
        assertThat(outcome.err())
                .contains(
                        "Cannot connect to PostgreSQL at no-such-host.invalid:5432: the host name"
                                + " no-such-host.invalid does not resolve (DNS lookup failed)")
                .contains("fix: Check the host name in 'url'");
    }

    @Test
    void unreachableServerIsAConnectionError() throws IOException {
        Path spec =
                pipeline(
                        "jdbc:postgresql://127.0.0.1:" + closedPort() + "/nowhere",
                        "postgres",
                        null,
                        "public.orders");

        CliOutcome outcome =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("state").toString());

        assertFailedWith(outcome, "CONNECTION_FAILED");
    }

    @Test
    void wrongPasswordIsAnAuthenticationError() throws Exception {
        PG.server().execute("postgres", "CREATE ROLE careful LOGIN PASSWORD 'right-one'");
        requirePassword("careful");
        Path spec = pipeline(url(sourceDb), "careful", "wrong-one", "public.orders");

        CliOutcome outcome = run(spec);

        assertFailedWith(outcome, "AUTH_FAILED");
        assertThat(outcome.all()).doesNotContain("wrong-one");
    }

    @Test
    void userWithoutSelectIsAPermissionError() throws IOException {
        PG.server().execute("postgres", "CREATE ROLE nosy LOGIN");
        Path spec = pipeline(url(sourceDb), "nosy", null, "public.orders");

        CliOutcome outcome = run(spec);

        assertFailedWith(outcome, "PERMISSION_DENIED");
        assertThat(outcome.err()).contains("GRANT SELECT");
    }

    @Test
    void tableThatDoesNotExistIsNamed() throws IOException {
        Path spec = pipeline(url(sourceDb), "postgres", null, "public.ordres");

        CliOutcome outcome = run(spec);

        assertFailedWith(outcome, "TABLE_NOT_FOUND");
        assertThat(outcome.err()).contains("public.ordres");
    }

    @Test
    void validatePrintsEveryProblemWithItsFix() throws IOException {
        PG.server().execute("postgres", "CREATE ROLE stranger LOGIN");
        Path spec = pipeline(url(sourceDb), "stranger", null, "public.orders");

        CliOutcome outcome =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("state").toString());

        assertFailedWith(outcome, "PERMISSION_DENIED");
        assertThat(outcome.err()).contains("\n  fix: ");
    }

    @Test
    void validateOfAGoodPipelineListsItsTables() throws IOException {
        Path spec = pipeline(url(sourceDb), "postgres", null, "public.orders");

        CliOutcome outcome =
                siphon("validate", spec.toString(), "--state-dir", dir.resolve("state").toString());

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.out()).isEqualTo("OK: 1 table\n  public.orders\n");
        assertThat(outcome.err()).isEmpty();
    }

    @Test
    void missingSpecFileIsAConfigError() {
        CliOutcome outcome = run(dir.resolve("nope.yaml"));

        assertFailedWith(outcome, "CONFIG_SYNTAX");
        assertThat(outcome.err()).contains("nope.yaml");
    }

    private CliOutcome run(Path spec) {
        return siphon("run", spec.toString(), "--state-dir", dir.resolve("state").toString());
    }

    private static void assertFailedWith(CliOutcome outcome, String code) {
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        assertThat(outcome.err()).as(outcome.toString()).contains("error [" + code + "]: ");
        assertThat(outcome.all()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private Path pipeline(String sourceUrl, String user, String password, String table)
            throws IOException {
        return spec(
                """
                name: errors
                source:
                  type: postgres
                  url: %s
                  user: %s
                %s  tables: [%s]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                """
                        .formatted(
                                sourceUrl,
                                user,
                                password == null ? "" : "  password: " + password + "\n",
                                table,
                                url(targetDb)));
    }

    private Path spec(String yaml) throws IOException {
        return Files.writeString(dir.resolve("pipeline.yaml"), yaml);
    }

    private static String url(String database) {
        return PG.server().jdbcUrl(database);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The embedded server trusts every local connection; a line ahead of the others in pg_hba.conf
     * makes it ask this role for its password, so that a wrong one is refused.
     */
    private static void requirePassword(String role) throws Exception {
        Path hba;
        try (Connection c = PG.server().connect("postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW hba_file")) {
            rs.next();
            hba = Path.of(rs.getString(1));
        }
        Files.writeString(
                hba, "host all " + role + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        PG.server().execute("postgres", "SELECT pg_reload_conf()");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> refused(role, "not-the-password"));
    }

    private static boolean refused(String role, String password) {
        try (Connection c =
                DriverManager.getConnection(PG.server().jdbcUrl("postgres"), role, password)) {
            return false;
        } catch (SQLException e) {
            return true;
        }
    }
}
