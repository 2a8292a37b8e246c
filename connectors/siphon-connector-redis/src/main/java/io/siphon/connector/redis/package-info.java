/**
 * The Redis connector: a sink that keeps each row of each table under {@code
 * {prefix}:{table}:{key}}, as a hash or a JSON string ({@link
 * io.siphon.connector.redis.RedisLayout}, {@link io.siphon.connector.redis.RedisValues}). See
 * docs/connectors/redis.md.
 */
package io.siphon.connector.redis;
