/**
 * What a MySQL/MariaDB source needs of the server: the checks of {@code siphon validate}, each
 * problem with its fix, and the setup script for the DBA.
 */
package io.siphon.connector.mysql.check;
