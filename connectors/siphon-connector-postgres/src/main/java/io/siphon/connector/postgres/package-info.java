/**
 * The PostgreSQL connector ({@code type: postgres}): {@link
 * io.siphon.connector.postgres.PostgresConnectorFactory} is the entry point found by {@link
 * java.util.ServiceLoader}. Connections, SQLState mapping and SQL quoting live here; the parts live
 * in sub-packages by feature: {@code catalog} (discovery), {@code check} ({@code siphon validate}),
 * {@code types} (the type mapping and the binary and text codecs), {@code snapshot} (read points,
 * splits, COPY readers), {@code sink} (table preparation and writers), {@code cdc} (change data
 * capture: slots, publications, the pgoutput decoder and the change stream).
 */
package io.siphon.connector.postgres;
