package io.siphon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.embedded.PostgresServer;
import io.siphon.embedded.TempDirectories;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The attacks of issue 11, each against a real server (embedded H2, connections allowed to
 * 127.0.0.1 only), a real PostgreSQL and a fake one that records the passwords it is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerSecurityIT {

    private static final String ADMIN_PASSWORD = "admin-password-1";
    private static final String SECRET = "stored-secret-" + Long.toHexString(System.nanoTime());

    private Path dataDir;
    private PostgresServer postgres;
    private FakePostgres fake;
    private SiphonServer server;
    private Http admin;
    private Http operator;
    private String shop;

    @BeforeAll
    void start() throws Exception {
        dataDir = TempDirectories.create("siphon-security-it-");
        postgres = PostgresServer.start();
        fake = new FakePostgres();
        server =
                SiphonServer.start(
                        ServerSettings.defaults(dataDir)
                                .withBindAddress("127.0.0.1")
                                .withPort(0)
                                .withAdminPassword(ADMIN_PASSWORD)
                                .withAllowHosts(List.of("127.0.0.1"))
                                .withForwardedHeaders(true));
        admin = Http.basic(server.url(), "admin", ADMIN_PASSWORD);
        created(
                admin.post(
                        "/api/v1/users",
                        Map.of("username", "op", "password", "operator-pw-1", "role", "operator")));
        operator = Http.basic(server.url(), "op", "operator-pw-1");
        shop = "shop";
        created(
                operator.post(
                        "/api/v1/connections",
                        Map.of(
                                "name",
                                shop,
                                "type",
                                "postgres",
                                "config",
                                Map.of(
                                        "url",
                                        postgres.jdbcUrl("postgres"),
                                        "user",
                                        PostgresServer.USER,
                                        "password",
                                        SECRET))));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        fake.close();
        postgres.close();
        TempDirectories.deleteRecursively(dataDir);
    }

    @Test
    @Order(1)
    void aPipelineNamingAConnectionCannotSendItsPasswordToAnotherHost() {
        for (String key : List.of("url", "user")) {
            Object value = key.equals("url") ? fake.url() : "someone-else";
            for (String side : List.of("source", "sink")) {
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("name", "steal");
                spec.put("source", Map.of("connection", shop));
                spec.put("sink", Map.of("connection", shop));
                spec.put(side, Map.of("connection", shop, key, value));
                Http.Answer validated = operator.post("/api/v1/pipelines/validate", spec);
                assertThat(validated.status()).as(validated.toString()).isEqualTo(400);
                assertThat(validated.json().get("errors").findValuesAsString("message"))
                        .containsExactly(
                                side
                                        + "."
                                        + key
                                        + ": a pipeline that names a connection cannot set '"
                                        + key
                                        + "'; change the connection 'shop' instead (PUT"
                                        + " /api/v1/connections/shop), or create another"
                                        + " connection");
                assertThat(operator.post("/api/v1/pipelines", spec).status()).isEqualTo(400);
                Http.Answer preview =
                        operator.post("/api/v1/pipelines/preview?table=public.t&limit=5", spec);
                assertThat(preview.status()).as(preview.toString()).isEqualTo(400);
                assertThat(preview.json().get("errors").findValuesAsString("message"))
                        .isEqualTo(validated.json().get("errors").findValuesAsString("message"));
            }
        }
        assertThat(fake.passwords()).isEmpty();
        assertThat(fake.users()).isEmpty();
    }

    @Test
    @Order(2)
    void changingWhereAConnectionGoesNeedsItsPasswordAgain() {
        Http.Answer moved =
                operator.put(
                        "/api/v1/connections/" + shop,
                        Map.of("config", Map.of("url", fake.url(), "user", PostgresServer.USER)));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(400);
        assertThat(moved.json().get("code").asString()).isEqualTo("CONFIG_MISSING_KEY");
        assertThat(moved.json().get("detail").asString())
                .isEqualTo(
                        "config: changing url of connection 'shop' changes where its stored"
                                + " secrets would be sent; send password again with the change");
        Http.Answer test = operator.post("/api/v1/connections/" + shop + "/test?usage=sink", null);
        assertThat(test.json().get("ok").asBoolean()).as(test.toString()).isTrue();
        assertThat(fake.passwords()).isEmpty();

        Http.Answer entered =
                operator.put(
                        "/api/v1/connections/" + shop,
                        Map.of(
                                "config",
                                Map.of(
                                        "url",
                                        fake.url(),
                                        "user",
                                        PostgresServer.USER,
                                        "password",
                                        "entered-again")));
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        Http.Answer refused =
                operator.post("/api/v1/connections/" + shop + "/test?usage=sink", null);
        assertThat(refused.json().get("ok").asBoolean()).as(refused.toString()).isFalse();
        assertThat(fake.passwords()).containsOnly("entered-again").doesNotContain(SECRET);

        List<String> details =
                admin.get("/api/v1/audit?username=op&limit=5").json().findValuesAsString("detail");
        assertThat(details)
                .contains(
                        "connection shop to " + fake.url(),
                        "changed url; secrets entered again; target " + fake.url());

        assertThat(
                        operator.put(
                                        "/api/v1/connections/" + shop,
                                        Map.of(
                                                "config",
                                                Map.of(
                                                        "url",
                                                        postgres.jdbcUrl("postgres"),
                                                        "user",
                                                        PostgresServer.USER,
                                                        "password",
                                                        SECRET)))
                                .status())
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void credentialsAndDriverParametersInAUrlAreRefused() {
        String base = postgres.jdbcUrl("postgres");
        Map<String, String> refusals =
                Map.of(
                        base + "?password=in-the-url",
                        "url: the parameter 'password' is not allowed in the URL; put the user in"
                                + " 'user' and the password in 'password', where it is kept"
                                + " secret",
                        base.replace("//", "//siphon:in-the-url@"),
                        "url: credentials are not allowed in the URL; put the user in 'user' and"
                                + " the password in 'password', where it is kept secret",
                        base + "?socketFactory=x.Y&loggerFile=/tmp/x",
                        "url: the pgjdbc parameters [socketFactory, loggerFile] are not allowed;");
        refusals.forEach(
                (url, message) -> {
                    Http.Answer answer =
                            operator.post(
                                    "/api/v1/connections",
                                    Map.of(
                                            "name",
                                            "leaky",
                                            "type",
                                            "postgres",
                                            "config",
                                            Map.of("url", url)));
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
                    assertThat(answer.json().get("detail").asString()).startsWith(message);
                });
        assertThat(admin.get("/api/v1/connections/leaky").status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void connectionsToHostsOutsideTheAllowlistAreRefused() {
        for (String host : List.of("10.255.0.1", "db.example.invalid")) {
            Http.Answer answer =
                    operator.post(
                            "/api/v1/connections",
                            Map.of(
                                    "name",
                                    "elsewhere",
                                    "type",
                                    "postgres",
                                    "config",
                                    Map.of("url", "jdbc:postgresql://" + host + ":5432/x")));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
            assertThat(answer.json().get("detail").asString())
                    .isEqualTo(
                            "connection 'elsewhere' goes to '"
                                    + host
                                    + "', which this server's --allow-hosts [127.0.0.1] does not"
                                    + " allow; use an allowed host, or ask the server's"
                                    + " administrator");
        }
    }

    @Test
    @Order(5)
    void anonymousRequestsCreateNoSession() {
        Http anonymous = Http.anonymous(server.url());
        List<Http.Answer> answers =
                List.of(
                        anonymous.get("/api/v1/connections"),
                        anonymous.get("/api/v1/users"),
                        anonymous.post("/api/v1/pipelines", Map.of()),
                        anonymous.get("/api/v1/docs"),
                        anonymous.post(
                                "/api/v1/auth/login",
                                Map.of("username", "nobody", "password", "wrong-password")));
        for (Http.Answer a : answers) {
            assertThat(a.status()).as(a.toString()).isEqualTo(401);
            assertThat(a.header("Set-Cookie")).as(a.toString()).isNull();
        }
    }

    @Test
    @Order(6)
    void cookieRequestsFromAnotherOriginAreRefused() {
        Http.Answer login =
                Http.anonymous(server.url())
                        .post(
                                "/api/v1/auth/login",
                                Map.of("username", "admin", "password", ADMIN_PASSWORD));
        Http session = Http.session(server.url(), login.header("Set-Cookie").split(";")[0]);
        Map<String, Object> connection =
                Map.of(
                        "name",
                        "forged",
                        "type",
                        "postgres",
                        "config",
                        Map.of("url", postgres.jdbcUrl("postgres")));
        String siblingPort = "http://127.0.0.1:" + (server.port() == 1 ? 2 : server.port() - 1);
        List<Http> forgers =
                List.of(
                        session.with("Origin", siblingPort),
                        session.with("Sec-Fetch-Site", "same-site"),
                        session.with("Origin", "null"),
                        session);
        for (Http forger : forgers) {
            Http.Answer answer = forger.post("/api/v1/connections", connection);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
            assertThat(answer.json().get("code").asString()).isEqualTo("ACCESS_DENIED");
        }
        assertThat(admin.get("/api/v1/connections/forged").status()).isEqualTo(404);
        assertThat(session.sameOrigin().post("/api/v1/connections", connection).status())
                .isEqualTo(201);
        assertThat(
                        session.with("Sec-Fetch-Site", "same-origin")
                                .delete("/api/v1/connections/forged")
                                .status())
                .isEqualTo(204);

        Http.Answer text =
                admin.send(
                        "POST",
                        "/api/v1/pipelines",
                        "name: x\nsource: { connection: shop }\nsink: { connection: shop }\n",
                        "text/plain");
        assertThat(text.status()).as(text.toString()).isEqualTo(415);
    }

    @Test
    @Order(7)
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        String big = "name: x\n# " + "x".repeat(1_500_000) + "\n";
        List<Http.Answer> answers =
                List.of(
                        admin.send("POST", "/api/v1/pipelines", big, "application/yaml"),
                        admin.sendChunked(
                                "POST",
                                "/api/v1/pipelines",
                                big.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                "application/yaml"),
                        Http.anonymous(server.url())
                                .send(
                                        "POST",
                                        "/api/v1/auth/login",
                                        "{\"username\":\"" + big + "\"}",
                                        "application/json"));
        for (Http.Answer a : answers) {
            assertThat(a.status()).as(a.toString().substring(0, 100)).isEqualTo(413);
            assertThat(a.json().get("code").asString()).isEqualTo("REQUEST_TOO_LARGE");
            assertThat(a.json().get("detail").asString())
                    .endsWith("the server accepts at most 1048576 bytes (1024 KiB)");
        }
    }

    @Test
    @Order(8)
    void clientMistakesAnswer400WithTheLimitNot500() {
        Map<String, String> passwords =
                Map.of(
                        "é".repeat(40),
                        "password is 80 bytes long in UTF-8; use at most 72 (bcrypt ignores the"
                                + " rest)",
                        "12345678",
                        "password is too short; use at least 10 characters",
                        " ".repeat(12),
                        "password is blank; use letters, digits or symbols",
                        "aaaaaaaaaaaa",
                        "password is one character repeated; choose a harder one",
                        "Password123",
                        "password is one of the most common passwords, the first an attacker"
                                + " tries; choose another");
        passwords.forEach(
                (password, message) -> {
                    Http.Answer answer =
                            admin.post(
                                    "/api/v1/users",
                                    Map.of(
                                            "username",
                                            "weak",
                                            "password",
                                            password,
                                            "role",
                                            "viewer"));
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
                    assertThat(answer.json().get("detail").asString()).isEqualTo(message);
                });
        Http.Answer sameName =
                admin.post(
                        "/api/v1/users",
                        Map.of("username", "ADMIN", "password", "other-admin-pw", "role", "admin"));
        assertThat(sameName.status()).isEqualTo(409);
        assertThat(sameName.json().get("detail").asString())
                .isEqualTo(
                        "user 'admin' exists already; names differing only in case are the same"
                                + " user");

        Http.Answer huge =
                operator.post(
                        "/api/v1/connections",
                        Map.of(
                                "name",
                                "huge",
                                "type",
                                "postgres",
                                "config",
                                Map.of(
                                        "url",
                                        postgres.jdbcUrl("postgres"),
                                        "default-schema",
                                        "s".repeat(150_000))));
        assertThat(huge.status()).as(huge.toString()).isEqualTo(400);
        assertThat(huge.json().get("detail").asString())
                .startsWith("config: the options take ")
                .endsWith(
                        " characters as stored, more than the 100000 a connection may have;"
                                + " shorten them");

        Http.Answer error = admin.get("/error");
        assertThat(error.status()).as(error.toString()).isEqualTo(404);
        Http.Answer noBody = admin.send("POST", "/api/v1/users", "", "application/json");
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.json().get("detail").asString())
                .isEqualTo("the request body is missing; send it as JSON");
        JsonNode servers = admin.get("/api/v1/openapi.json").json().get("servers");
        assertThat(servers.findValuesAsString("url")).containsExactly("/");
        Http.Answer badRole =
                admin.send("POST", "/api/v1/users", "{\"role\": [1]}", "application/json");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.body()).doesNotContain("io.siphon");
    }

    @Test
    @Order(11)
    void aFirstAdminPasswordOverBcryptsLimitFailsTheStartWithTheLimit() {
        Path other = TempDirectories.create("siphon-security-it-admin-");
        try {
            assertThatThrownBy(
                            () ->
                                    SiphonServer.start(
                                            ServerSettings.defaults(other)
                                                    .withBindAddress("127.0.0.1")
                                                    .withPort(0)
                                                    .withAdminPassword("ab".repeat(40))))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE))
                    .hasMessage(
                            "the first admin's password (SIPHON_ADMIN_PASSWORD): password is 80"
                                    + " bytes long in UTF-8; use at most 72 (bcrypt ignores the"
                                    + " rest)");
        } finally {
            TempDirectories.deleteRecursively(other);
        }
    }

    @Test
    @Order(9)
    void theDataDirectoryIsItsOwnersOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files)
                .extracting(f -> f.getFileName().toString())
                .contains("metadata.mv.db", "secret.key");
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .as(f.toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    @Order(10)
    void behindATlsProxyTheCookieIsSecureAndTheClientAddressIsAudited() {
        Map<String, String> credentials = Map.of("username", "admin", "password", ADMIN_PASSWORD);
        Http.Answer direct = Http.anonymous(server.url()).post("/api/v1/auth/login", credentials);
        assertThat(direct.header("Set-Cookie")).doesNotContain("Secure");
        Http proxied =
                Http.anonymous(server.url())
                        .with("X-Forwarded-Proto", "https")
                        .with("X-Forwarded-For", "203.0.113.9");
        Http.Answer viaProxy = proxied.post("/api/v1/auth/login", credentials);
        assertThat(viaProxy.status()).as(viaProxy.toString()).isEqualTo(200);
        assertThat(viaProxy.header("Set-Cookie")).contains("Secure").contains("HttpOnly");
        assertThat(admin.get("/api/v1/audit?limit=5").json().findValuesAsString("remoteAddress"))
                .contains("203.0.113.9");
    }

    @Test
    @Order(12)
    void healthWatchesTheDataDirectorysDiskAndAnswersForbidForeignScripts() {
        Http.Answer health = admin.get("/actuator/health");
        assertThat(
                        health.json()
                                .get("components")
                                .get("diskSpace")
                                .get("details")
                                .get("path")
                                .asString())
                .startsWith(dataDir.toAbsolutePath().toString());
        assertThat(admin.get("/api/v1/connections").header("Content-Security-Policy"))
                .isEqualTo(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
                                + " frame-ancestors 'none'; form-action 'self'");
    }

    @Test
    @Order(13)
    void aStoredPasswordThatLooksLikeAReferenceIsSentAsItIs() {
        String password = "p${env:HOME}x";
        created(
                operator.post(
                        "/api/v1/connections",
                        Map.of(
                                "name",
                                "literal",
                                "type",
                                "postgres",
                                "config",
                                Map.of("url", fake.url(), "user", "u", "password", password))));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "literal");
        spec.put("source", Map.of("connection", "literal"));
        spec.put("sink", Map.of("connection", "literal"));

        Http.Answer validated = operator.post("/api/v1/pipelines/validate", spec);

        assertThat(validated.toString())
                .doesNotContain("CONFIG_UNRESOLVED_REFERENCE")
                .doesNotContain("${env:HOME}");
        assertThat(fake.passwords()).contains(password).doesNotContain(System.getenv("HOME"));
        assertThat(operator.delete("/api/v1/connections/literal").status()).isEqualTo(204);
    }

    @Test
    @Order(20)
    void aUserIsLockedOutAfterFiveWrongPasswordsThenAnswered429() {
        created(
                admin.post(
                        "/api/v1/users",
                        Map.of(
                                "username",
                                "guessed",
                                "password",
                                "guessed-pw-1",
                                "role",
                                "viewer")));
        Http anonymous = Http.anonymous(server.url());
        for (int i = 0; i < 5; i++) {
            Http.Answer wrong =
                    anonymous.post(
                            "/api/v1/auth/login",
                            Map.of("username", "guessed", "password", "wrong-" + i));
            assertThat(wrong.status()).as("attempt " + i + ": " + wrong).isEqualTo(401);
        }
        Http.Answer right =
                anonymous.post(
                        "/api/v1/auth/login",
                        Map.of("username", "guessed", "password", "guessed-pw-1"));
        assertThat(right.status()).as(right.toString()).isEqualTo(429);
        assertThat(right.json().get("code").asString()).isEqualTo("TOO_MANY_ATTEMPTS");
        assertThat(Long.parseLong(right.header("Retry-After"))).isBetween(1L, 31L);
        Http.Answer basic =
                Http.basic(server.url(), "guessed", "guessed-pw-1").get("/api/v1/auth/me");
        assertThat(basic.status()).isEqualTo(429);
        assertThat(basic.header("Retry-After")).isNotNull();
        assertThat(
                        anonymous
                                .post(
                                        "/api/v1/auth/token",
                                        Map.of("username", "guessed", "password", "guessed-pw-1"))
                                .status())
                .isEqualTo(429);
        // Others still sign in.
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/audit?limit=50").json().findValuesAsString("detail"))
                .anySatisfy(
                        d ->
                                assertThat(d)
                                        .startsWith(
                                                "sign-in locked for user 'guessed' after 5"
                                                        + " failures, for 30"));
    }

    @Test
    @Order(100)
    void anAddressIsLockedOutAfterTwentyFailuresWhateverTheUsers() {
        Http anonymous = Http.anonymous(server.url());
        int attempts = 0;
        Http.Answer last;
        do {
            attempts++;
            last =
                    anonymous.post(
                            "/api/v1/auth/login",
                            Map.of("username", "nobody-" + attempts, "password", "wrong-password"));
        } while (last.status() == 401 && attempts <= 20);
        assertThat(last.status()).as(last.toString()).isEqualTo(429);
        Http.Answer rightPassword =
                anonymous.post(
                        "/api/v1/auth/login",
                        Map.of("username", "admin", "password", ADMIN_PASSWORD));
        assertThat(rightPassword.status()).isEqualTo(429);
        assertThat(rightPassword.json().get("detail").asString()).contains("from 127.0.0.1");
    }

    private static JsonNode created(Http.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.json();
    }
}
