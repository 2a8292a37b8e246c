package io.siphon.connector.postgres.catalog;

import io.siphon.model.TableId;

/**
 * A user table (ordinary or partitioned) as {@code pg_class} lists it.
 *
 * @param oid the table's oid
 * @param id its name
 */
public record CatalogTable(long oid, TableId id) {}
