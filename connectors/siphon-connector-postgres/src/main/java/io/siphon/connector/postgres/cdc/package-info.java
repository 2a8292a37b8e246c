/**
 * Change data capture: {@link io.siphon.connector.postgres.cdc.PgStreamSource} prepares a
 * pipeline's publication and logical replication slot ({@link
 * io.siphon.connector.postgres.cdc.StreamNames}) and opens {@link
 * io.siphon.connector.postgres.cdc.PgChangeStream}, which reads {@code pgoutput} messages over
 * pgjdbc's replication API, decodes them with {@link
 * io.siphon.connector.postgres.cdc.PgOutputDecoder}, and turns them into change events through
 * {@link io.siphon.connector.postgres.cdc.SchemaTracker}, which keeps each table's schema and emits
 * schema changes. Positions are WAL positions ({@link io.siphon.connector.postgres.cdc.PgLsn}).
 */
package io.siphon.connector.postgres.cdc;
