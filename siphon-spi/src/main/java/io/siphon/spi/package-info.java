/**
 * The connector SPI. A connector ships a {@link io.siphon.spi.ConnectorFactory} registered for
 * {@link java.util.ServiceLoader}; the engine finds it by {@link
 * io.siphon.spi.ConnectorFactory#type()} and never names a connector class.
 *
 * <p>Life cycle: the engine's <em>driver</em> thread creates a {@link io.siphon.spi.Connector} to
 * check, discover, plan snapshots and prepare sink tables. Each parallel reader and writer of a
 * running pipeline creates its own {@code Connector} from the same {@link io.siphon.spi.Config} on
 * its own thread, and uses it from that thread only; connectors therefore need not be thread-safe
 * unless a method says so.
 */
package io.siphon.spi;
