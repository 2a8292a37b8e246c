/** Change data capture; for now the offset it will resume from, a WAL position (LSN). */
package io.siphon.connector.postgres.cdc;
