package io.siphon.server.user;

import io.siphon.server.Timestamps;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API tokens: {@code sph_} and 43 random characters; only their SHA-256 is stored. */
@Repository
public class TokenStore {

    private static final String PREFIX = "sph_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS =
            "t.id, t.name, t.username, u.role, t.created_at, t.expires_at, t.last_used_at";

    private final JdbcClient jdbc;

    TokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates a token for a user.
     *
     * @param validFor how long it works; null for no expiry
     * @return the token, with its secret text (shown this once)
     */
    public ApiToken create(String username, String name, Duration validFor) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "token name must be 1 to 100 characters, for example 'ci' or 'laptop'");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Instant expires = validFor == null ? null : now.plus(validFor);
        jdbc.sql(
                        "INSERT INTO siphon_api_token (id, username, name, token_hash, created_at,"
                                + " expires_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(
                        id,
                        username,
                        name,
                        hash(token),
                        Timestamps.column(now),
                        Timestamps.column(expires))
                .update();
        ApiToken stored = get(id);
        return new ApiToken(
                stored.id(),
                stored.name(),
                stored.username(),
                stored.role(),
                stored.createdAt(),
                stored.expiresAt(),
                null,
                token);
    }

    /** The token with this secret text, if it exists and has not expired; records its use. */
    public Optional<ApiToken> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Optional<ApiToken> found =
                jdbc.sql(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM siphon_api_token t JOIN siphon_user u ON"
                                        + " u.username = t.username WHERE t.token_hash = ?")
                        .param(hash(token))
                        .query(TokenStore::token)
                        .optional()
                        .filter(t -> t.expiresAt() == null || t.expiresAt().isAfter(Instant.now()));
        found.ifPresent(
                t ->
                        jdbc.sql("UPDATE siphon_api_token SET last_used_at = ? WHERE id = ?")
                                .params(Timestamps.now(), t.id())
                                .update());
        return found;
    }

    /** A user's tokens, or everyone's when {@code username} is null. */
    public List<ApiToken> list(String username) {
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM siphon_api_token t JOIN siphon_user u ON u.username = t.username";
        if (username == null) {
            return jdbc.sql(sql + " ORDER BY t.created_at").query(TokenStore::token).list();
        }
        return jdbc.sql(sql + " WHERE t.username = ? ORDER BY t.created_at")
                .param(username)
                .query(TokenStore::token)
                .list();
    }

    /**
     * One token.
     *
     * @throws SiphonException {@link ErrorCode#NOT_FOUND}
     */
    public ApiToken get(String id) {
        return jdbc.sql(
                        "SELECT "
                                + COLUMNS
                                + " FROM siphon_api_token t JOIN siphon_user u ON u.username ="
                                + " t.username WHERE t.id = ?")
                .param(id)
                .query(TokenStore::token)
                .optional()
                .orElseThrow(
                        () ->
                                new SiphonException(
                                        ErrorCode.NOT_FOUND, "token '" + id + "' does not exist"));
    }

    /** Deletes a token; it stops working at once. */
    public void delete(String id) {
        jdbc.sql("DELETE FROM siphon_api_token WHERE id = ?").param(id).update();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static ApiToken token(ResultSet rs, int row) throws SQLException {
        return new ApiToken(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "expires_at"),
                Timestamps.read(rs, "last_used_at"),
                null);
    }
}
