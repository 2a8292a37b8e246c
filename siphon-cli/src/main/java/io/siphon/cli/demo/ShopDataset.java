package io.siphon.cli.demo;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.MariaDbServer;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's sample shop: customers, products, orders and their items, with the types real schemas
 * have (bigint and int keys, a composite key, text, varchar, numeric, double, timestamptz,
 * timestamp, date, boolean, jsonb, uuid, an enum, a text array, bytea, NULLs, non-ASCII text).
 * Every value is computed from the row number on the server with {@code generate_series}, so a
 * million rows load in seconds and every run loads the same data. In MariaDB (the demo's {@code
 * mysql} source) the same shop has MariaDB's types: {@code TIMESTAMP(6)} for instants, {@code
 * DATETIME} for wall clocks, {@code JSON}, {@code ENUM}, a {@code SET} for the tags, {@code BLOB}
 * and an {@code INT UNSIGNED} stock, computed from MariaDB's {@code seq_1_to_n}.
 *
 * @param customers rows in {@code customers}
 * @param products rows in {@code products}
 * @param orders rows in {@code orders}
 * @param orderItems rows in {@code order_items}
 */
public record ShopDataset(long customers, long products, long orders, long orderItems) {

    /** The smallest total that gives every table at least a few rows. */
    public static final long MIN_ROWS = 100;

    static final TableId CUSTOMERS = TableId.of("public", "customers");
    static final TableId PRODUCTS = TableId.of("public", "products");
    static final TableId ORDERS = TableId.of("public", "orders");
    static final TableId ORDER_ITEMS = TableId.of("public", "order_items");

    private static final String SCHEMA =
            """
            CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'delivered', 'cancelled');
            CREATE TABLE customers (
                id bigint PRIMARY KEY,
                email varchar(120) NOT NULL,
                name text NOT NULL,
                country varchar(2) NOT NULL,
                vip boolean NOT NULL,
                birthday date,
                signed_up_at timestamptz NOT NULL,
                tags text[] NOT NULL,
                external_id uuid NOT NULL,
                preferences jsonb);
            CREATE TABLE products (
                id integer PRIMARY KEY,
                sku varchar(32) NOT NULL,
                title text NOT NULL,
                price numeric(12,2) NOT NULL,
                in_stock boolean NOT NULL,
                weight_kg double precision,
                attributes jsonb NOT NULL,
                thumbnail bytea,
                updated_at timestamp NOT NULL);
            CREATE TABLE orders (
                id bigint PRIMARY KEY,
                customer_id bigint NOT NULL,
                status order_status NOT NULL,
                ordered_at timestamptz NOT NULL,
                ship_by date,
                total numeric(12,2) NOT NULL,
                note text);
            CREATE TABLE order_items (
                order_id bigint NOT NULL,
                line_no integer NOT NULL,
                product_id integer NOT NULL,
                quantity integer NOT NULL,
                unit_price numeric(12,2) NOT NULL,
                PRIMARY KEY (order_id, line_no));
            """;

    /**
     * Spreads {@code total} rows the way a shop's tables grow: 10% customers, 2% products, 28%
     * orders, the rest order items (about two per order).
     */
    public static ShopDataset ofTotal(long total) {
        if (total < MIN_ROWS) {
            throw new IllegalArgumentException("at least " + MIN_ROWS + " rows");
        }
        long customers = total / 10;
        long products = total / 50;
        long orders = total * 28 / 100;
        return new ShopDataset(customers, products, orders, total - customers - products - orders);
    }

    /** Every row. */
    public long total() {
        return customers + products + orders + orderItems;
    }

    /** The tables with their row counts, in the order they are listed. */
    public List<TableCount> tables() {
        return List.of(
                new TableCount(CUSTOMERS, customers),
                new TableCount(PRODUCTS, products),
                new TableCount(ORDERS, orders),
                new TableCount(ORDER_ITEMS, orderItems));
    }

    /** {@link #tables()} in another schema (MySQL's databases are its schemas). */
    public List<TableCount> tables(String schema) {
        return tables().stream()
                .map(t -> new TableCount(TableId.of(schema, t.table().table()), t.rows()))
                .toList();
    }

    /** A table and how many rows it gets. */
    public record TableCount(TableId table, long rows) {}

    /** Creates the schema in a database and loads the rows, the four tables in parallel. */
    void load(EmbeddedServer server, String database) {
        boolean mariaDb = server instanceof MariaDbServer;
        if (mariaDb) {
            // One statement at a time: the driver runs no multi-statement strings.
            server.execute(
                    database,
                    Arrays.stream(MARIADB_SCHEMA.split(";"))
                            .filter(sql -> !sql.isBlank())
                            .toArray(String[]::new));
        } else {
            server.execute(database, SCHEMA);
        }
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String insert :
                    mariaDb
                            ? List.of(
                                    mariaDbCustomersSql(),
                                    mariaDbProductsSql(),
                                    mariaDbOrdersSql(),
                                    mariaDbOrderItemsSql())
                            : List.of(
                                    customersSql(), productsSql(), ordersSql(), orderItemsSql())) {
                loads.add(
                        CompletableFuture.runAsync(
                                () -> server.execute(database, insert), threads));
            }
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof SiphonException s
                    ? s
                    : new SiphonException(
                            ErrorCode.INTERNAL_ERROR, "loading the demo shop failed", e);
        }
        // Statistics give the planner and Siphon's progress bars accurate row estimates.
        server.execute(
                database,
                mariaDb ? "ANALYZE TABLE customers, products, orders, order_items" : "ANALYZE");
    }

    private String customersSql() {
        return """
                INSERT INTO customers
                SELECT i,
                       'customer' || i || '@example.com',
                       (ARRAY['Ada','Grace','Linus','Barbara','Edsger','Margaret','Ken','Zoë'])[1 + i % 8]
                           || ' ' || (ARRAY['Lovelace','Hopper','Torvalds','Liskov','Dijkstra',
                                            'Hamilton','Thompson','Ærø'])[1 + (i / 8) % 8],
                       (ARRAY['DE','FR','IN','US','BR','JP','NG','SE'])[1 + i % 8],
                       i % 10 = 0,
                       CASE WHEN i % 7 = 0 THEN NULL ELSE date '1950-01-01' + (i * 37 % 20000)::int END,
                       timestamptz '2020-01-01 00:00:00+00' + (i * 7919 % 157680000) * interval '1 second',
                       CASE i % 4 WHEN 0 THEN ARRAY[]::text[]
                                  WHEN 1 THEN ARRAY['newsletter']
                                  WHEN 2 THEN ARRAY['newsletter', 'b2b']
                                  ELSE ARRAY['early "adopter"', 'a, b'] END,
                       md5('customer' || i)::uuid,
                       CASE WHEN i % 5 = 0 THEN NULL
                            ELSE jsonb_build_object('language', (ARRAY['en','de','hi','pt'])[1 + i % 4],
                                                    'marketing', i % 2 = 0) END
                FROM generate_series(1, {n}::bigint) AS i"""
                .replace("{n}", Long.toString(customers));
    }

    private String productsSql() {
        return """
                INSERT INTO products
                SELECT i,
                       'SKU-' || lpad(i::text, 6, '0'),
                       (ARRAY['Espresso cup','Notebook','Desk lamp','Backpack','Water bottle',
                              'Crème brûlée torch'])[1 + i % 6] || ' #' || i,
                       ((i * 37 % 50000) / 100.0 + 0.99)::numeric(12,2),
                       i % 9 <> 0,
                       CASE WHEN i % 6 = 0 THEN NULL ELSE (i % 5000) / 100.0 + 0.125 END,
                       jsonb_build_object('color', (ARRAY['red','green','blue','black'])[1 + i % 4],
                                          'size', (ARRAY['S','M','L'])[1 + i % 3]),
                       CASE WHEN i % 3 = 0 THEN NULL ELSE decode(md5('thumbnail' || i), 'hex') END,
                       timestamp '2024-01-01 00:00:00' + (i * 97 % 31536000) * interval '1 second'
                FROM generate_series(1, {n}::bigint) AS i"""
                .replace("{n}", Long.toString(products));
    }

    private String ordersSql() {
        return """
                INSERT INTO orders
                SELECT i,
                       1 + (i * 7 % {customers}),
                       (enum_range(NULL::order_status))[1 + i % 5],
                       timestamptz '2023-01-01 00:00:00+00' + (i * 6271 % 63072000) * interval '1 second',
                       CASE WHEN i % 5 = 4 THEN NULL ELSE date '2023-01-01' + (i % 730)::int END,
                       ((i * 7919 % 100000) / 100.0 + 5)::numeric(12,2),
                       CASE WHEN i % 13 = 0 THEN 'Please leave it at the door'
                            WHEN i % 29 = 0 THEN 'Geschenk – bitte mit Karte 🎁'
                            ELSE NULL END
                FROM generate_series(1, {n}::bigint) AS i"""
                .replace("{customers}", Long.toString(customers))
                .replace("{n}", Long.toString(orders));
    }

    private String orderItemsSql() {
        // Item i belongs to order 1 + (i - 1) % orders as its line 1 + (i - 1) / orders: every
        // (order_id, line_no) is unique and the count is exact.
        return """
                INSERT INTO order_items
                SELECT 1 + (i - 1) % {orders},
                       1 + (i - 1) / {orders},
                       1 + (i * 31 % {products}),
                       1 + i % 4,
                       ((i * 37 % 50000) / 100.0 + 0.99)::numeric(12,2)
                FROM generate_series(1, {n}::bigint) AS i"""
                .replace("{orders}", Long.toString(orders))
                .replace("{products}", Long.toString(products))
                .replace("{n}", Long.toString(orderItems));
    }

    private static final String MARIADB_SCHEMA =
            """
            CREATE TABLE customers (
                id BIGINT PRIMARY KEY,
                email VARCHAR(120) NOT NULL,
                name TEXT NOT NULL,
                country CHAR(2) NOT NULL,
                vip BOOLEAN NOT NULL,
                birthday DATE,
                signed_up_at TIMESTAMP(6) NOT NULL,
                tags SET('newsletter', 'b2b', 'early adopter') NOT NULL,
                external_id CHAR(36) NOT NULL,
                preferences JSON);
            CREATE TABLE products (
                id INT PRIMARY KEY,
                sku VARCHAR(32) NOT NULL,
                title TEXT NOT NULL,
                price DECIMAL(12,2) NOT NULL,
                in_stock BOOLEAN NOT NULL,
                stock INT UNSIGNED NOT NULL,
                weight_kg DOUBLE,
                attributes JSON NOT NULL,
                thumbnail BLOB,
                updated_at DATETIME NOT NULL);
            CREATE TABLE orders (
                id BIGINT PRIMARY KEY,
                customer_id BIGINT NOT NULL,
                status ENUM('new', 'paid', 'shipped', 'delivered', 'cancelled') NOT NULL,
                ordered_at TIMESTAMP(6) NOT NULL,
                ship_by DATE,
                total DECIMAL(12,2) NOT NULL,
                note TEXT);
            CREATE TABLE order_items (
                order_id BIGINT NOT NULL,
                line_no INT NOT NULL,
                product_id INT NOT NULL,
                quantity INT NOT NULL,
                unit_price DECIMAL(12,2) NOT NULL,
                PRIMARY KEY (order_id, line_no));
            """;

    private String mariaDbCustomersSql() {
        return """
                INSERT INTO customers
                SELECT seq,
                       CONCAT('customer', seq, '@example.com'),
                       CONCAT(ELT(1 + seq % 8, 'Ada','Grace','Linus','Barbara','Edsger','Margaret','Ken','Zoë'),
                              ' ', ELT(1 + (seq DIV 8) % 8, 'Lovelace','Hopper','Torvalds','Liskov',
                                       'Dijkstra','Hamilton','Thompson','Ærø')),
                       ELT(1 + seq % 8, 'DE','FR','IN','US','BR','JP','NG','SE'),
                       seq % 10 = 0,
                       CASE WHEN seq % 7 = 0 THEN NULL
                            ELSE DATE '1950-01-01' + INTERVAL (seq * 37 % 20000) DAY END,
                       TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (seq * 7919 % 157680000) SECOND,
                       ELT(1 + seq % 4, '', 'newsletter', 'newsletter,b2b', 'early adopter'),
                       INSERT(INSERT(INSERT(INSERT(MD5(CONCAT('customer', seq)),
                              21, 0, '-'), 17, 0, '-'), 13, 0, '-'), 9, 0, '-'),
                       CASE WHEN seq % 5 = 0 THEN NULL
                            ELSE JSON_OBJECT('language', ELT(1 + seq % 4, 'en','de','hi','pt'),
                                             'marketing', seq % 2 = 0) END
                FROM seq_1_to_{n}"""
                .replace("{n}", Long.toString(customers));
    }

    private String mariaDbProductsSql() {
        return """
                INSERT INTO products
                SELECT seq,
                       CONCAT('SKU-', LPAD(seq, 6, '0')),
                       CONCAT(ELT(1 + seq % 6, 'Espresso cup','Notebook','Desk lamp','Backpack',
                                  'Water bottle','Crème brûlée torch'), ' #', seq),
                       (seq * 37 % 50000) / 100.0 + 0.99,
                       seq % 9 <> 0,
                       seq * 2654435761 % 4294967296,
                       CASE WHEN seq % 6 = 0 THEN NULL ELSE (seq % 5000) / 100.0 + 0.125 END,
                       JSON_OBJECT('color', ELT(1 + seq % 4, 'red','green','blue','black'),
                                   'size', ELT(1 + seq % 3, 'S','M','L')),
                       CASE WHEN seq % 3 = 0 THEN NULL ELSE UNHEX(MD5(CONCAT('thumbnail', seq))) END,
                       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (seq * 97 % 31536000) SECOND
                FROM seq_1_to_{n}"""
                .replace("{n}", Long.toString(products));
    }

    private String mariaDbOrdersSql() {
        return """
                INSERT INTO orders
                SELECT seq,
                       1 + (seq * 7 % {customers}),
                       ELT(1 + seq % 5, 'new', 'paid', 'shipped', 'delivered', 'cancelled'),
                       TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (seq * 6271 % 63072000) SECOND,
                       CASE WHEN seq % 5 = 4 THEN NULL
                            ELSE DATE '2023-01-01' + INTERVAL (seq % 730) DAY END,
                       (seq * 7919 % 100000) / 100.0 + 5,
                       CASE WHEN seq % 13 = 0 THEN 'Please leave it at the door'
                            WHEN seq % 29 = 0 THEN 'Geschenk – bitte mit Karte 🎁'
                            ELSE NULL END
                FROM seq_1_to_{n}"""
                .replace("{customers}", Long.toString(customers))
                .replace("{n}", Long.toString(orders));
    }

    private String mariaDbOrderItemsSql() {
        return """
                INSERT INTO order_items
                SELECT 1 + (seq - 1) % {orders},
                       1 + (seq - 1) DIV {orders},
                       1 + (seq * 31 % {products}),
                       1 + seq % 4,
                       (seq * 37 % 50000) / 100.0 + 0.99
                FROM seq_1_to_{n}"""
                .replace("{orders}", Long.toString(orders))
                .replace("{products}", Long.toString(products))
                .replace("{n}", Long.toString(orderItems));
    }
}
