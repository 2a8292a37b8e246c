package io.siphon.engine;

import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.SiphonException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The connectors on the class path, found with {@link ServiceLoader} by their type. */
public final class ConnectorRegistry {

    private final Map<String, ConnectorFactory> factories;

    private ConnectorRegistry(Map<String, ConnectorFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** Every installed connector. */
    public static ConnectorRegistry installed() {
        Map<String, ConnectorFactory> found = new TreeMap<>();
        for (ConnectorFactory f : ServiceLoader.load(ConnectorFactory.class)) {
            found.put(f.type(), f);
        }
        return new ConnectorRegistry(found);
    }

    /** The installed connector types, sorted. */
    public java.util.Set<String> types() {
        return new java.util.TreeSet<>(factories.keySet());
    }

    /**
     * The factory of a type.
     *
     * @throws SiphonException {@link ErrorCode#CONNECTOR_NOT_FOUND} naming the installed types
     */
    public ConnectorFactory factory(String type) {
        ConnectorFactory f = factories.get(type);
        if (f == null) {
            String hint =
                    NameSuggester.nearest(type, factories.keySet())
                            .map(n -> "did you mean '" + n + "'? ")
                            .orElse("");
            throw new SiphonException(
                    ErrorCode.CONNECTOR_NOT_FOUND,
                    "no connector of type '"
                            + type
                            + "' is installed; "
                            + hint
                            + "installed: "
                            + String.join(", ", types()));
        }
        return f;
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
