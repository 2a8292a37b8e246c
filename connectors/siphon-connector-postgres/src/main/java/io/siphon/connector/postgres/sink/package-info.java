/** Writing to PostgreSQL: preparing target tables, COPY appends and staged upserts. */
package io.siphon.connector.postgres.sink;
