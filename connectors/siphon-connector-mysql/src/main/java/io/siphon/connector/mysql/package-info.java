/**
 * The MySQL/MariaDB connector ({@code type: mysql}): {@link
 * io.siphon.connector.mysql.MySqlConnectorFactory} is the entry point found by {@link
 * java.util.ServiceLoader}. Connections, error codes and SQL quoting live here; the parts live in
 * sub-packages by feature: {@code catalog} (discovery from {@code information_schema}), {@code
 * types} (the type mapping of the family), {@code sink} (table preparation and writers).
 */
package io.siphon.connector.mysql;
