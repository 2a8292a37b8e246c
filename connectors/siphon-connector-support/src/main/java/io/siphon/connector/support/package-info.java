/**
 * What connectors share instead of copying: {@code schema} (the diff of two shapes of a table,
 * widening rules), {@code change} (net-change coalescing for sinks) and {@code jdbc} (per-family
 * type mappers). Depends on siphon-spi only; nothing here opens a connection.
 */
package io.siphon.connector.support;
