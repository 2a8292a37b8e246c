package io.siphon.connector.redis;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.Option;
import java.util.List;

/** The {@code redis} connector, a sink: found by {@link java.util.ServiceLoader}. */
public final class RedisConnectorFactory implements ConnectorFactory {

    /** The type name in pipeline specs. */
    public static final String TYPE = "redis";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Redis 6 or newer: a sink keeping each row as a hash or a JSON string by key";
    }

    @Override
    public List<Option<?>> options() {
        return RedisOptions.ALL;
    }

    /** The layout and tuning; never the URL, user or password. */
    @Override
    public List<Option<?>> pipelineOptions() {
        return List.of(
                RedisOptions.KEY_PREFIX,
                RedisOptions.FORMAT,
                RedisOptions.TTL,
                RedisOptions.INDEX_COLUMNS,
                RedisOptions.PIPELINE_COMMANDS);
    }

    @Override
    public Connector create(Config config) {
        return new RedisConnector(config);
    }
}
