package io.siphon.connector.opensearch;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SinkConformanceSuite;
import io.siphon.testkit.opensearch.OpenSearchExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenSearch sink passes the sink conformance suite on an in-JVM OpenSearch 3.5 node, each
 * table's documents read back with a search and decoded by the table's types. JSON is {@code
 * string} here (any JSON, its text kept exactly); {@link PostgresToOpenSearchIT} covers {@code
 * flat-object}.
 */
class OpenSearchSinkConformanceIT extends SinkConformanceSuite {

    @RegisterExtension static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @Override
    protected ConnectorUnderTest underTest() {
        return new OpenSearchUnderTest(OPENSEARCH, Map.of("json", "string"));
    }

    @Override
    protected List<Row> readBack(Connector connector, TableSchema table) {
        return ((OpenSearchConnector) connector).rows(table);
    }
}
