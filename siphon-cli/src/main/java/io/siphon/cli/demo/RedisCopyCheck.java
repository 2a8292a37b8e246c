package io.siphon.cli.demo;

import io.siphon.connector.redis.RedisConnector;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.verify.Comparison;

/**
 * Compares a source table with its copy in Redis: every row of the source, read through the source
 * connector's snapshot, must be the row the Redis sink keeps under its key, value for value, and
 * Redis must keep no other row of the table ({@link CopyCheck}).
 */
public final class RedisCopyCheck {

    private RedisCopyCheck() {}

    /**
     * Compares a source table with the rows Redis keeps for its target.
     *
     * @param source a connector to the source (with a snapshot source)
     * @param table the source table
     * @param redis the Redis sink's connector
     * @param target the table's target name
     */
    public static Comparison compare(
            Connector source, TableId table, RedisConnector redis, TableId target) {
        return CopyCheck.compare(source, table, target, "Redis", redis::rows);
    }
}
