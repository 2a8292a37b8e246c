package io.siphon.connector.redis;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;

/**
 * The Redis sink. There is nothing to create for a table: its rows are keys under {@code
 * {prefix}:{table}:}, and a table is empty when no key matches (a {@code SCAN MATCH}, once per
 * table per run, which walks the whole database when the table is empty).
 */
final class RedisSink implements Sink {

    private final RedisConnector connector;

    RedisSink(RedisConnector connector) {
        this.connector = connector;
    }

    @Override
    public PreparedTable prepareTable(TableSchema source, TableId target, String sourceType) {
        TableSchema schema = source.withId(target);
        connector.layout().indexes(schema);
        return new PreparedTable(schema, false, !connector.hasKeys(schema.id()));
    }

    @Override
    public SinkWriter openWriter() {
        return new RedisSinkWriter(
                connector.endpoint(),
                connector.layout(),
                connector.config().get(RedisOptions.PIPELINE_COMMANDS));
    }
}
