package io.siphon.connector.redis;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SinkConformanceSuite;
import io.siphon.testkit.redis.RedisExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis connector passes the sink conformance suite with rows as hashes (the default format):
 * every portable type and the types from other systems read back exactly from the hash fields. Rows
 * are read back by scanning the table's keys. Without transactions, the crash test (writes not
 * flushed are discarded) and the exactly-once tests do not apply and are skipped, named.
 */
class RedisSinkConformanceIT extends SinkConformanceSuite {

    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    @Override
    protected ConnectorUnderTest underTest() {
        return new RedisUnderTest(REDIS, Map.of());
    }

    @Override
    protected List<Row> readBack(Connector connector, TableSchema table) {
        return ((RedisConnector) connector).rows(table);
    }
}
