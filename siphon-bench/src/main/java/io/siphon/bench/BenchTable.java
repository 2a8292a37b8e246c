package io.siphon.bench;

import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's table: one row of each common type (a bigint key, int, numeric, double, text of
 * about 40 characters with some NULLs, varchar, timestamptz, date, boolean, uuid, small jsonb),
 * generated on the server from {@code generate_series}, deterministically from the row number.
 */
final class BenchTable {

    static final TableId ID = TableId.of("public", "bench_rows");

    static final String DDL =
            """
            CREATE TABLE public.bench_rows (
                id bigint PRIMARY KEY,
                quantity integer NOT NULL,
                price numeric(12,2) NOT NULL,
                score double precision,
                description text,
                code varchar(16) NOT NULL,
                created_at timestamptz NOT NULL,
                day date NOT NULL,
                active boolean NOT NULL,
                ref uuid NOT NULL,
                attributes jsonb NOT NULL)""";

    private BenchTable() {}

    /**
     * Creates the table and fills it with rows {@code 1..rows}, in parallel slices (one per core)
     * so that a large table is ready in seconds, then VACUUM ANALYZE: both copies then read a table
     * with hint bits set and a row estimate, so neither pays for the other's first touch.
     */
    static void create(PostgresServer server, String database, long rows) {
        server.execute(database, DDL);
        inSlices(rows, (from, to) -> server.execute(database, insert(from, to)));
        server.execute(database, "VACUUM ANALYZE public.bench_rows");
    }

    /** Writes rows {@code from..to} (both included). */
    interface Slice {
        void write(long from, long to);
    }

    /**
     * Writes rows {@code 1..rows} in parallel slices, one per core (at least 100,000 rows each), so
     * that a large table is ready in seconds.
     */
    static void inSlices(long rows, Slice slice) {
        int slices =
                (int)
                        Math.max(
                                1,
                                Math.min(
                                        Runtime.getRuntime().availableProcessors(),
                                        rows / 100_000));
        ExecutorService pool = Executors.newFixedThreadPool(slices);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int s = 0; s < slices; s++) {
                long from = rows * s / slices + 1;
                long to = rows * (s + 1) / slices;
                parts.add(pool.submit(() -> slice.write(from, to)));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "interrupted while generating rows", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SiphonException s
                    ? s
                    : new SiphonException(
                            ErrorCode.INTERNAL_ERROR, "generating rows failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String insert(long from, long to) {
        return """
                INSERT INTO public.bench_rows
                SELECT i,
                       (i % 1000)::int,
                       ((i % 1000000) / 100.0 + 0.99)::numeric(12,2),
                       CASE WHEN i % 11 = 0 THEN NULL ELSE i / 7.0::double precision END,
                       CASE WHEN i % 17 = 0 THEN NULL
                            ELSE md5(i::text) || ' ' || left(md5((i + 1)::text), 7) END,
                       'C-' || (i % 99991),
                       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second',
                       date '2000-01-01' + (i % 9000)::int,
                       i % 3 = 0,
                       md5('ref' || i)::uuid,
                       jsonb_build_object('k', i % 10, 'tag', 't' || (i % 7), 'on', i % 2 = 0)
                FROM generate_series({from}::bigint, {to}::bigint) AS i"""
                .replace("{from}", Long.toString(from))
                .replace("{to}", Long.toString(to));
    }
}
