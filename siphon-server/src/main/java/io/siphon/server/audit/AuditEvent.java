package io.siphon.server.audit;

import java.time.Instant;

/**
 * One mutating call to the API.
 *
 * @param id the event's number, growing
 * @param at when the answer was sent
 * @param username who called; null when the caller was not signed in
 * @param remoteAddress where from
 * @param method the HTTP method
 * @param path the path and query
 * @param status the HTTP status of the answer
 * @param detail what else the call did worth knowing (where a connection test went, which fields of
 *     a connection changed, a sign-in lockout), or null
 */
public record AuditEvent(
        long id,
        Instant at,
        String username,
        String remoteAddress,
        String method,
        String path,
        int status,
        String detail) {}
