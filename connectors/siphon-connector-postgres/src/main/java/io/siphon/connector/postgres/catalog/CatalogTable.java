package io.siphon.connector.postgres.catalog;

import io.siphon.model.TableId;

/**
 * A user table as {@code pg_class} lists it.
 *
 * @param oid the table's oid
 * @param id its name
 * @param partitioned whether it is a partitioned table (its rows live in its partitions)
 */
public record CatalogTable(long oid, TableId id, boolean partitioned) {}
