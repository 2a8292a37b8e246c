package io.siphon.connector.opensearch;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.Option;
import java.util.List;

/** The {@code opensearch} connector, a sink: found by {@link java.util.ServiceLoader}. */
public final class OpenSearchConnectorFactory implements ConnectorFactory {

    /** The type name in pipeline specs. */
    public static final String TYPE = "opensearch";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "OpenSearch 2 or 3: a sink that keeps one index per table, documents by key";
    }

    @Override
    public List<Option<?>> options() {
        return OpenSearchOptions.ALL;
    }

    /** The index layout and the tuning; never the URL, user or password. */
    @Override
    public List<Option<?>> pipelineOptions() {
        return List.of(
                OpenSearchOptions.INDEX,
                OpenSearchOptions.STRINGS,
                OpenSearchOptions.JSON,
                OpenSearchOptions.SHARDS,
                OpenSearchOptions.REPLICAS,
                OpenSearchOptions.BULK_BYTES,
                OpenSearchOptions.RETRY_TIMEOUT);
    }

    @Override
    public Connector create(Config config) {
        return new OpenSearchConnector(config);
    }
}
