/**
 * Consistent chunked snapshots: an exported snapshot as the read point, splits by primary key or
 * block ranges, and binary COPY readers that adopt the exported snapshot.
 */
package io.siphon.connector.postgres.snapshot;
