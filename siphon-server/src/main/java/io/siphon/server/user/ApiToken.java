package io.siphon.server.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An API token. Its secret text is in {@code token} only in the answer that created it; the store
 * keeps a hash.
 *
 * @param id the token's id, for listing and deleting
 * @param name what the user called it
 * @param username whose it is
 * @param role the owner's role
 * @param createdAt when it was made
 * @param expiresAt when it stops working; null for never
 * @param lastUsedAt when it last authenticated a request; null if never
 * @param token the secret, only right after creation; otherwise null (and left out of JSON)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiToken(
        String id,
        String name,
        String username,
        Role role,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        String token) {}
