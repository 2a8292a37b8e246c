/**
 * The MySQL/MariaDB snapshot source: splits by integer primary-key ranges, each read in a
 * consistent-snapshot transaction of its own, values read as the binlog stream decodes them.
 */
package io.siphon.connector.mysql.snapshot;
