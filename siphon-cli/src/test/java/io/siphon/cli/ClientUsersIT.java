package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static io.siphon.cli.CliOutcome.siphonWithInput;
import static io.siphon.cli.ClientAssertions.assertFailed;
import static io.siphon.cli.ClientAssertions.assertPrints;
import static io.siphon.cli.ClientAssertions.closedPort;
import static io.siphon.cli.ClientAssertions.json;
import static io.siphon.cli.ClientAssertions.second;
import static io.siphon.cli.SiphonServerExtension.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.client.CredentialsFile;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code siphon login}, {@code logout}, {@code users} and {@code tokens} against a real server:
 * what they print, what they store, and the message of every refusal (401, 403, 404, 409).
 */
class ClientUsersIT {

    @RegisterExtension static final SiphonServerExtension SERVER = new SiphonServerExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void loginStoresATokenThatOnlyTheOwnerCanRead() throws IOException {
        Path configDir = SERVER.configDir().resolve("new-folder");
        System.setProperty(CredentialsFile.CONFIG_DIR_PROPERTY, configDir.toString());
        Path file = configDir.resolve("credentials.json");

        CliOutcome login =
                siphonWithInput(
                        ADMIN_PASSWORD, "login", "--server", SERVER.url(), "--password-stdin");

        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.out())
                .isEqualTo(
                        "Signed in to "
                                + SERVER.url()
                                + " as admin (admin).\n"
                                + "Token stored in "
                                + file
                                + "; siphon logout deletes it.\n");
        assertThat(login.err()).isEmpty();
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(configDir))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        JsonNode stored = JSON.readTree(Files.readString(file));
        assertThat(stored.propertyNames())
                .containsExactlyInAnyOrder("server", "username", "tokenId", "token");
        assertThat(stored.get("server").asString()).isEqualTo(SERVER.url());
        assertThat(stored.get("username").asString()).isEqualTo("admin");
        assertThat(Files.readString(file)).doesNotContain(ADMIN_PASSWORD);
        assertThat(siphon("users", "list").exitCode()).isZero();
    }

    @Test
    void wrongPasswordStoresNothing() {
        CliOutcome login =
                siphonWithInput(
                        "not-the-password", "login", "--server", SERVER.url(), "--password-stdin");

        assertFailed(
                login,
                "error [UNAUTHENTICATED]: wrong username or password for 'admin' at "
                        + SERVER.url());
        assertThat(SERVER.configDir().resolve("credentials.json")).doesNotExist();
    }

    @Test
    void withoutLoginACommandSaysHowToSignIn() {
        CliOutcome list = siphon("users", "list", "--server", SERVER.url());

        assertFailed(
                list,
                "error [UNAUTHENTICATED]: not signed in to "
                        + SERVER.url()
                        + "; run siphon login --server "
                        + SERVER.url());
    }

    @Test
    void theStoredTokenGoesOnlyToTheServerItCameFrom() {
        SERVER.login("admin", ADMIN_PASSWORD);
        String sameServerOtherName = SERVER.url().replace("127.0.0.1", "localhost");

        CliOutcome list = siphon("users", "list", "--server", sameServerOtherName);

        assertFailed(
                list,
                "error [UNAUTHENTICATED]: not signed in to "
                        + sameServerOtherName
                        + "; run siphon login --server "
                        + sameServerOtherName);
    }

    @Test
    void adminCreatesListsChangesAndDeletesAUser() {
        SERVER.login("admin", ADMIN_PASSWORD);

        CliOutcome created =
                siphonWithInput(
                        "bob-secret-1",
                        "users",
                        "create",
                        "bob",
                        "--role",
                        "operator",
                        "--password-stdin");
        assertPrints(created, "Created user bob (operator).");
        assertThat(created.all()).doesNotContain("bob-secret-1");

        JsonNode users = json(siphon("users", "list", "--json"));
        assertThat(users.values().stream().map(u -> u.get("username").asString()))
                .containsExactly("admin", "bob");
        assertThat(users.get(1).get("role").asString()).isEqualTo("operator");
        assertThat(siphon("users", "list").out().lines())
                .containsExactly(
                        "user   role      created               updated",
                        "-".repeat(59),
                        "admin  admin     "
                                + second(users.get(0), "createdAt")
                                + "  "
                                + second(users.get(0), "updatedAt"),
                        "bob    operator  "
                                + second(users.get(1), "createdAt")
                                + "  "
                                + second(users.get(1), "updatedAt"));

        assertPrints(siphon("users", "set-role", "bob", "viewer"), "Changed user bob (viewer).");
        assertPrints(
                siphonWithInput("bob-secret-2", "users", "passwd", "bob", "--password-stdin"),
                "Changed the password of bob.");
        SERVER.login("bob", "bob-secret-2");
        SERVER.login("admin", ADMIN_PASSWORD);
        assertPrints(siphon("users", "delete", "bob"), "Deleted user bob.");
        assertThat(json(siphon("users", "list", "--json")).size()).isEqualTo(1);
    }

    @Test
    void aViewerIsToldThatItsRoleMayNotManageUsers() {
        SERVER.login("admin", ADMIN_PASSWORD);
        assertThat(
                        siphonWithInput(
                                        "vera-secret-1",
                                        "users",
                                        "create",
                                        "vera",
                                        "--password-stdin")
                                .exitCode())
                .isZero();
        SERVER.login("vera", "vera-secret-1");

        CliOutcome create =
                siphonWithInput("eve-secret-1", "users", "create", "eve", "--password-stdin");

        assertFailed(
                create,
                "error [ACCESS_DENIED]: your role (viewer) may not create users; ask an admin for"
                        + " a stronger role");
        SERVER.login("admin", ADMIN_PASSWORD);
        assertThat(siphon("users", "delete", "vera").exitCode()).isZero();
    }

    @Test
    void aMissingUserIsNamed() {
        SERVER.login("admin", ADMIN_PASSWORD);

        assertFailed(
                siphon("users", "delete", "ghost"),
                "error [NOT_FOUND]: user 'ghost' does not exist");
    }

    @Test
    void theLastAdminCannotBeDeleted() {
        SERVER.login("admin", ADMIN_PASSWORD);

        assertFailed(
                siphon("users", "delete", "admin"),
                "error [STATE_CONFLICT]: 'admin' is the last admin; make another user admin first,"
                        + " so the server keeps someone who can manage users");
    }

    @Test
    void anExistingUserCannotBeCreatedAgain() {
        SERVER.login("admin", ADMIN_PASSWORD);

        assertFailed(
                siphonWithInput("admin-secret-2", "users", "create", "admin", "--password-stdin"),
                "error [ALREADY_EXISTS]: user 'admin' exists already");
    }

    @Test
    void anUnknownRoleNamesTheValidOnes() {
        SERVER.login("admin", ADMIN_PASSWORD);

        assertFailed(
                siphonWithInput(
                        "carl-secret-1",
                        "users",
                        "create",
                        "carl",
                        "--role",
                        "boss",
                        "--password-stdin"),
                "error [CONFIG_INVALID_VALUE]: role 'boss' does not exist; use one of [admin, operator, viewer]");
    }

    @Test
    void logoutDeletesTheTokenOnTheServerAndHere() throws IOException {
        SERVER.login("admin", ADMIN_PASSWORD);
        Path file = SERVER.configDir().resolve("credentials.json");
        String token = JSON.readTree(Files.readString(file)).get("token").asString();

        assertPrints(siphon("logout"), "Signed out of " + SERVER.url() + "; the token is deleted.");

        assertThat(file).doesNotExist();
        assertFailed(
                siphon("users", "list", "--server", SERVER.url(), "--token", token),
                "error [UNAUTHENTICATED]: "
                        + SERVER.url()
                        + " did not accept the token (it expired or was deleted); run siphon"
                        + " login --server "
                        + SERVER.url());
        assertPrints(siphon("logout"), "Not signed in; nothing to do.");
    }

    @Test
    void signingInAgainReplacesTheEarlierToken() throws IOException {
        SERVER.login("admin", ADMIN_PASSWORD);
        SERVER.login("admin", ADMIN_PASSWORD);

        JsonNode tokens = json(siphon("tokens", "list", "--json"));

        assertThat(tokens.values().stream().map(t -> t.get("name").asString()))
                .containsExactly("cli@" + InetAddress.getLocalHost().getHostName());
    }

    @Test
    void aCreatedTokenIsShownOnceAndWorksUntilDeleted() {
        SERVER.login("admin", ADMIN_PASSWORD);

        JsonNode created =
                json(siphon("tokens", "create", "ci", "--expires-in-days", "7", "--json"));
        String id = created.get("id").asString();
        String token = created.get("token").asString();

        assertThat(created.get("name").asString()).isEqualTo("ci");
        assertThat(siphon("users", "list", "--server", SERVER.url(), "--token", token).exitCode())
                .isZero();
        List<String> listed = siphon("tokens", "list").out().lines().toList();
        assertThat(listed.get(0)).startsWith("id").contains("name", "user", "expires", "last used");
        assertThat(listed).anySatisfy(line -> assertThat(line).startsWith(id + "  ci"));
        assertThat(String.join("\n", listed)).doesNotContain(token);
        assertPrints(siphon("tokens", "delete", id), "Deleted token " + id + ".");
        assertThat(siphon("users", "list", "--server", SERVER.url(), "--token", token).exitCode())
                .isEqualTo(SiphonCli.EXIT_FAILED);
    }

    @Test
    void noServerAtTheAddressIsAConnectionError() throws IOException {
        String nowhere = "http://127.0.0.1:" + closedPort();

        assertFailed(
                siphon("users", "list", "--server", nowhere),
                "error [CONNECTION_FAILED]: no Siphon server at "
                        + nowhere
                        + "; start one with siphon server, or pass --server");
    }
}
