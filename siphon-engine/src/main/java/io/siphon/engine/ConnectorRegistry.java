package io.siphon.engine;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;

/** The connectors on the class path, found with {@code ServiceLoader} by their type. */
public final class ConnectorRegistry {

    private final InstalledTypes<ConnectorFactory> factories;

    private ConnectorRegistry(InstalledTypes<ConnectorFactory> factories) {
        this.factories = factories;
    }

    /** Every installed connector. */
    public static ConnectorRegistry installed() {
        return new ConnectorRegistry(
                InstalledTypes.load(
                        ConnectorFactory.class,
                        ConnectorFactory::type,
                        ErrorCode.CONNECTOR_NOT_FOUND,
                        "connector of type"));
    }

    /** The installed connector types, sorted. */
    public java.util.Set<String> types() {
        return factories.types();
    }

    /**
     * The factory of a type.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTOR_NOT_FOUND} naming the installed types
     */
    public ConnectorFactory factory(String type) {
        return factories.factory(type);
    }

    /**
     * A connector of a type for a configuration checked against its options; it has not connected
     * yet.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTOR_NOT_FOUND} for an unknown type
     */
    public Connector create(String type, Config config) {
        return factory(type).create(config);
    }
}
