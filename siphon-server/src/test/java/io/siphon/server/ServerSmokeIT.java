package io.siphon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSmokeIT {

    @TempDir Path dir;

    @Test
    void startsOnH2AndAnswersHealthAndAuth() {
        try (SiphonServer server =
                SiphonServer.start(
                        ServerSettings.defaults(dir)
                                .withBindAddress("127.0.0.1")
                                .withPort(0)
                                .withAdminPassword("admin-secret-1"))) {
            Http anon = Http.anonymous(server.url());
            assertThat(anon.get("/actuator/health").status()).isEqualTo(200);
            assertThat(anon.get("/api/v1/users").status()).isEqualTo(401);
            Http admin = Http.basic(server.url(), "admin", "admin-secret-1");
            Http.Answer users = admin.get("/api/v1/users");
            assertThat(users.status()).as(users.toString()).isEqualTo(200);
            Http.Answer token =
                    anon.post(
                            "/api/v1/auth/token",
                            Map.of("username", "admin", "password", "admin-secret-1"));
            assertThat(token.status()).as(token.toString()).isEqualTo(201);
            Http bearer = Http.bearer(server.url(), token.json().get("token").asString());
            assertThat(bearer.get("/api/v1/auth/me").json().get("role").asString())
                    .isEqualTo("admin");
            Http.Answer openapi = admin.get("/api/v1/openapi.json");
            assertThat(openapi.status()).as(openapi.toString()).isEqualTo(200);
            System.out.println(admin.get("/actuator/prometheus").body().lines().limit(5).toList());
        }
    }
}
