package io.siphon.server.user;

import java.time.Instant;

/**
 * A user as the API shows it; the password hash never leaves {@link UserStore}.
 *
 * @param username the login name
 * @param role what the user may do
 * @param createdAt when the user was created
 * @param updatedAt when the user was last changed
 */
public record User(String username, Role role, Instant createdAt, Instant updatedAt) {}
