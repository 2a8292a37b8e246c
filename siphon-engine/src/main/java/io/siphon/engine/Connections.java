package io.siphon.engine;

import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.Usage;
import java.util.List;
import java.util.Map;

/**
 * A connection on its own, outside any pipeline: checking its options, testing it and listing its
 * tables. What the server's connection pages need; every method connects anew and closes again.
 */
public final class Connections {

    private final ConnectorRegistry registry;

    private Connections(ConnectorRegistry registry) {
        this.registry = registry;
    }

    /** For the connectors on the class path. */
    public static Connections installed() {
        return new Connections(ConnectorRegistry.installed());
    }

    /**
     * The options of a connector type.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTOR_NOT_FOUND}
     */
    public List<Option<?>> options(String type) {
        return registry.factory(type).options();
    }

    /**
     * The options a pipeline may set over a stored connection's.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTOR_NOT_FOUND}
     * @see io.siphon.spi.ConnectorFactory#pipelineOptions()
     */
    public List<Option<?>> pipelineOptions(String type) {
        return registry.factory(type).pipelineOptions();
    }

    /**
     * Checks raw option values against the connector's options.
     *
     * @throws SiphonException with the code of the first problem and every problem on its own line
     */
    public Config config(String type, Map<String, ?> raw) {
        return Config.of(raw, options(type), "config");
    }

    /**
     * Checks raw option values as {@link #config} does, and also as the connector reads them (a URL
     * it cannot take), without connecting.
     *
     * @throws SiphonException naming the first problem
     */
    public void checkOffline(String type, Map<String, ?> raw) {
        // Creating a connector reads its options but does not connect.
        registry.create(type, config(type, raw)).close();
    }

    /**
     * Connects and checks what the connection needs for a use: reachability, credentials,
     * privileges, server settings, and (as a source) its tables.
     *
     * @return every problem with its fix; empty when all is well
     */
    public List<Problem> check(String type, Map<String, ?> raw, Usage usage) {
        Config config = config(type, raw);
        try (Connector connector = registry.create(type, config)) {
            return connector.check(usage, Validation.tableFilter(config));
        }
    }

    /** The tables the connection's {@code tables} options take (every table without them). */
    public List<TableSchema> discover(String type, Map<String, ?> raw) {
        Config config = config(type, raw);
        try (Connector connector = registry.create(type, config)) {
            return connector.discover(Validation.tableFilter(config));
        }
    }
}
