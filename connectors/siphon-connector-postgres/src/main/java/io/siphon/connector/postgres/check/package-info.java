/** What {@code siphon validate} checks on a PostgreSQL server, with the fix for each problem. */
package io.siphon.connector.postgres.check;
