package io.siphon.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.siphon.server.Http;
import io.siphon.server.ServerSettings;
import io.siphon.server.SiphonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A server started without the key its connection secrets were sealed with (the key file lost, or
 * another {@code SIPHON_SECRET_KEY}) still lists its connections, says what to do when one is used,
 * and is repaired by entering the secrets again.
 */
class LostSecretKeyIT {

    private static final String ADMIN_PASSWORD = "admin-password-1";
    private static final Map<String, Object> CONFIG =
            Map.of(
                    "url",
                    "jdbc:postgresql://127.0.0.1:5432/shop",
                    "user",
                    "siphon",
                    "password",
                    "first-secret");

    @TempDir Path dir;

    @Test
    void connectionsSealedWithALostKeyListAndAreRepairedByEnteringTheirSecretsAgain()
            throws Exception {
        try (SiphonServer server = start()) {
            Http.Answer created =
                    admin(server)
                            .post(
                                    "/api/v1/connections",
                                    Map.of("name", "shop", "type", "postgres", "config", CONFIG));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        Files.delete(dir.resolve("secret.key"));

        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger check = (Logger) LoggerFactory.getLogger(SecretKeyCheck.class);
        warnings.start();
        check.addAppender(warnings);
        try (SiphonServer server = start()) {
            assertThat(warnings.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly(
                            "The secrets of 1 connection(s) [shop] do not decrypt with this"
                                    + " server's key; start with the key they were saved with"
                                    + " (SIPHON_SECRET_KEY or the data directory's secret.key),"
                                    + " or enter their secrets again");
            Http admin = admin(server);
            Http.Answer list = admin.get("/api/v1/connections");
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            assertThat(list.json().get(0).get("name").asString()).isEqualTo("shop");
            assertThat(list.json().get(0).get("secrets")).isEmpty();

            Http.Answer used = admin.post("/api/v1/connections/shop/test", null);
            assertThat(used.status()).isEqualTo(400);
            assertThat(used.json().get("code").asString()).isEqualTo("CONFIG_INVALID_VALUE");
            assertThat(used.json().get("detail").asString())
                    .isEqualTo(
                            "the secrets of connection shop cannot be decrypted with this"
                                    + " server's key; start the server with the key they were"
                                    + " saved with (SIPHON_SECRET_KEY or the data directory's"
                                    + " secret.key), or enter them again");
            Http.Answer withoutSecret =
                    admin.put(
                            "/api/v1/connections/shop",
                            Map.of("config", Map.of("url", CONFIG.get("url"), "user", "siphon")));
            assertThat(withoutSecret.status()).isEqualTo(400);

            Http.Answer repaired =
                    admin.put(
                            "/api/v1/connections/shop",
                            Map.of(
                                    "config",
                                    Map.of(
                                            "url",
                                            CONFIG.get("url"),
                                            "user",
                                            "siphon",
                                            "password",
                                            "second-secret")));
            assertThat(repaired.status()).as(repaired.toString()).isEqualTo(200);
            assertThat(repaired.json().get("secrets").get(0).asString()).isEqualTo("password");
        }

        check.detachAppender(warnings);
        try (SiphonServer server = start()) {
            JsonNode shop = admin(server).get("/api/v1/connections/shop").json();
            assertThat(shop.get("secrets").get(0).asString()).isEqualTo("password");
        }
    }

    private SiphonServer start() {
        return SiphonServer.start(
                ServerSettings.defaults(dir)
                        .withBindAddress("127.0.0.1")
                        .withPort(0)
                        .withAdminPassword(ADMIN_PASSWORD));
    }

    private static Http admin(SiphonServer server) {
        return Http.basic(server.url(), "admin", ADMIN_PASSWORD);
    }
}
