package io.siphon.spi;

import java.util.List;

/**
 * Entry point of a connector, found with {@link java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/io.siphon.spi.ConnectorFactory}). Must have a public no-argument constructor
 * and be stateless; its methods may be called from any thread.
 */
public interface ConnectorFactory {

    /**
     * The {@code type} that names this connector in a pipeline spec, for example {@code postgres}.
     */
    String type();

    /** One line on what the connector connects to. */
    String description();

    /** Every option the connector accepts; used to validate specs and to write the docs. */
    List<Option<?>> options();

    /**
     * Creates a connector for a validated configuration. Must not connect yet: connecting happens
     * in {@link Connector#check} and in the parts, so a spec can be validated offline.
     */
    Connector create(Config config);

    /**
     * The options a pipeline may set over a stored connection's (the server keeps connections with
     * their secrets; a pipeline names one and may tune it). Everything else, above all what decides
     * where the connection goes and as whom (URL, host, port, user), belongs to the connection
     * only: a pipeline that could change it could send the connection's stored password anywhere.
     * The default allows only the table selection; a connector lists more when they are harmless.
     */
    default List<Option<?>> pipelineOptions() {
        return List.of(StandardOptions.TABLES, StandardOptions.EXCLUDE_TABLES);
    }
}
