package io.siphon.cli;

import io.siphon.embedded.PostgresServer;

/**
 * A test table with one column of each common PostgreSQL type and the awkward values of each (NULL,
 * NaN and infinities, empty strings and arrays, non-ASCII text, wall-clock timestamps), generated
 * on the server from the row number so a million rows take seconds.
 */
final class MixedRows {

    private MixedRows() {}

    /** Creates {@code table} in {@code database} with rows {@code 1..rows}. */
    static void create(PostgresServer server, String database, String table, long rows) {
        server.execute(
                database,
                "DO $$ BEGIN CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
                        + " EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                """
                CREATE TABLE %s (
                    id bigint PRIMARY KEY,
                    small smallint,
                    count integer,
                    price numeric(12,2),
                    exact numeric,
                    ratio double precision,
                    approx real,
                    name text,
                    code varchar(20),
                    happened timestamptz,
                    wall_clock timestamp,
                    day date,
                    at_time time,
                    flag boolean,
                    ref uuid,
                    doc jsonb,
                    tags text[],
                    numbers int[],
                    blob bytea,
                    feeling mood)"""
                        .formatted(table),
                """
                INSERT INTO %s
                SELECT i,
                       (i %% 30000)::smallint,
                       CASE WHEN i %% 13 = 0 THEN NULL ELSE (i * 7)::int END,
                       ((i %% 1000000) / 100.0)::numeric(12,2),
                       CASE WHEN i %% 11 = 0 THEN NULL ELSE i * 1.000001 END,
                       CASE i %% 1000 WHEN 1 THEN 'NaN'::float8 WHEN 2 THEN 'Infinity'::float8
                                      WHEN 3 THEN '-Infinity'::float8 ELSE i / 3.0 END,
                       (i %% 977) / 7.0,
                       CASE i %% 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'Grüße, 世界 ' || i
                                   ELSE md5(i::text) END,
                       'code-' || (i %% 99991),
                       timestamptz '2024-03-10 01:30:00-05' + i * interval '17 seconds',
                       CASE WHEN i %% 997 = 0 THEN 'infinity'::timestamp
                            ELSE timestamp '2024-03-10 02:30:00' + i * interval '1 second' END,
                       CASE WHEN i %% 991 = 0 THEN '-infinity'::date
                            ELSE date '1970-01-01' + (i %% 40000)::int END,
                       time '00:00:00' + (i %% 86400) * interval '1 second',
                       CASE WHEN i %% 7 = 0 THEN NULL ELSE i %% 2 = 0 END,
                       md5('u' || i)::uuid,
                       CASE WHEN i %% 9 = 0 THEN NULL
                            ELSE jsonb_build_object('n', i, 'tags', jsonb_build_array('x', i %% 3)) END,
                       CASE i %% 4 WHEN 0 THEN ARRAY[]::text[] WHEN 1 THEN ARRAY['a', 'b, c']
                                   WHEN 2 THEN ARRAY['"quoted"', NULL] ELSE NULL END,
                       ARRAY[i::int %% 10, (i %% 7)::int],
                       CASE WHEN i %% 6 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END,
                       (enum_range(NULL::mood))[1 + (i %% 3)::int]
                FROM generate_series(1, %d::bigint) AS i"""
                        .formatted(table, rows),
                "ANALYZE " + table);
    }
}
