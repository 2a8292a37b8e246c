/** Reading tables, columns, types and keys from the PostgreSQL system catalogs. */
package io.siphon.connector.postgres.catalog;
