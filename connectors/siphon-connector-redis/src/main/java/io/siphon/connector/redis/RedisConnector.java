package io.siphon.connector.redis;

import io.siphon.connector.support.SinkOnlyConnector;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Config;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A configured Redis server, as a sink. It holds one connection of its own, opened on first use,
 * for preparing tables and for reading rows back ({@link #rows}, {@link #lookup}); each sink writer
 * opens its own. Used by one thread at a time.
 */
public final class RedisConnector implements SinkOnlyConnector {

    private final Config config;
    private final RedisEndpoint endpoint;
    private final RedisLayout layout;
    private Jedis jedis;

    /** A connector for a validated configuration; does not connect. */
    public RedisConnector(Config config) {
        this.config = config;
        this.endpoint = RedisEndpoint.of(config);
        this.layout = RedisLayout.of(config);
    }

    /**
     * A sink that applies schema changes and loads empty tables without reading old rows first (the
     * bulk path matters only for index sets).
     */
    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SINK, Capability.BULK_LOAD, Capability.SCHEMA_CHANGES);
    }

    /** Connects and pings; a refused connection or failed authentication is the problem. */
    @Override
    public List<Problem> check(Usage usage, TableFilter tables) {
        List<Problem> wrongSide = usageProblems(usage);
        if (!wrongSide.isEmpty()) {
            return wrongSide;
        }
        try {
            connection();
            return List.of();
        } catch (SiphonException e) {
            return List.of(
                    new Problem(
                            e.code(),
                            e.getMessage(),
                            "Fix the url, user and password and validate again"));
        }
    }

    @Override
    public Sink sink() {
        return new RedisSink(this);
    }

    /**
     * Every row of a target table, as the sink wrote it, read back with {@code SCAN MATCH} (in no
     * particular order). For tests, the demo and verification.
     *
     * @param table the target table's schema (what {@code prepareTable} returned, evolved)
     */
    public List<Row> rows(TableSchema table) {
        try {
            List<Row> rows = new ArrayList<>();
            Jedis c = connection();
            RedisRows.scanTable(
                    c,
                    layout,
                    table.id(),
                    keys -> {
                        for (byte[] key : keys) {
                            if (layout.isRowKey(table.id(), RedisRows.text(key))) {
                                read(c, table, key).ifPresent(rows::add);
                            }
                        }
                    });
            return rows;
        } catch (JedisException e) {
            throw RedisEndpoint.translate(e, "reading " + table.id());
        }
    }

    /**
     * The row of a target table with a key, looked up by its key (values of the key columns in key
     * order; any other columns of {@code keyRow} are ignored), as a reader of the cache would.
     *
     * @param keyRow a row of the table whose key columns hold the key
     */
    public Optional<Row> lookup(TableSchema table, Row keyRow) {
        try {
            return read(connection(), table, RedisRows.utf8(layout.rowKey(table, keyRow.values())));
        } catch (JedisException e) {
            throw RedisEndpoint.translate(e, "reading " + table.id());
        }
    }

    /** The key under which the sink keeps a row of a target table. */
    public String key(TableSchema table, Row row) {
        return layout.rowKey(table, row.values());
    }

    private Optional<Row> read(Jedis c, TableSchema table, byte[] key) {
        Object[] values =
                layout.json()
                        ? RedisRows.fromDocument(table, c.get(key))
                        : RedisRows.fromHash(table, c.hgetAll(key));
        return Optional.ofNullable(values).map(Row::new);
    }

    boolean hasKeys(TableId table) {
        try {
            return RedisRows.hasKeys(connection(), layout, table);
        } catch (JedisException e) {
            throw RedisEndpoint.translate(e, "looking for keys of " + table);
        }
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    RedisLayout layout() {
        return layout;
    }

    Config config() {
        return config;
    }

    /** The connector's own connection, opened on first use and again when it broke. */
    private Jedis connection() {
        if (jedis != null && !jedis.isBroken()) {
            return jedis;
        }
        close();
        jedis = endpoint.connect();
        return jedis;
    }

    @Override
    public void close() {
        if (jedis != null) {
            jedis.close();
            jedis = null;
        }
    }
}
