package io.siphon.server.connection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connection as the API shows it: secrets are never included, only the names of those set.
 *
 * @param name the connection's name, by which pipelines refer to it
 * @param type the connector type, for example {@code postgres}
 * @param config the options that are not secret
 * @param secrets the names of the secret options that have a value (for example {@code password})
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param createdBy who created it
 */
public record ConnectionView(
        String name,
        String type,
        Map<String, Object> config,
        List<String> secrets,
        Instant createdAt,
        Instant updatedAt,
        String createdBy) {}
