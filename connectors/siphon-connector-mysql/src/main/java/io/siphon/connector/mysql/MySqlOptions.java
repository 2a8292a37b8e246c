package io.siphon.connector.mysql;

import io.siphon.spi.Option;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.Usage;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the MySQL/MariaDB connector. Deliberately few: driver settings (SSL, ...) go into
 * the JDBC URL. A database plays the part a schema plays in PostgreSQL: {@code shop.orders} is the
 * table {@code orders} of the database {@code shop}.
 */
public final class MySqlOptions {

    /** Where the server is. */
    public static final Option<String> URL =
            Option.string(
                            "url",
                            "JDBC URL of the server and its default database:"
                                    + " jdbc:mysql://host:port/database or"
                                    + " jdbc:mariadb://host:port/database (driver parameters such"
                                    + " as sslMode may follow after ?)")
                    .asRequired();

    /** Who connects. */
    public static final Option<String> USER = Option.string("user", "User to connect as");

    /** The user's password. */
    public static final Option<String> PASSWORD =
            Option.string("password", "Password of the user").asSensitive();

    /** How long to wait for a connection. */
    public static final Option<Duration> CONNECT_TIMEOUT =
            Option.duration(
                    "connect-timeout",
                    "How long to wait for the server to accept a connection",
                    Duration.ofSeconds(10));

    /** Rows per multi-row statement of the sink. */
    public static final Option<Integer> BATCH_ROWS =
            Option.integer(
                            "batch-rows",
                            "Sink only: rows sent in one multi-row INSERT (or in one DELETE by"
                                    + " key); the statement also stays under the server's"
                                    + " max_allowed_packet",
                            500)
                    .onlyFor(Usage.SINK);

    /**
     * How the sink loads snapshot rows into a table it created or found empty: {@code LOAD DATA
     * LOCAL INFILE} from a stream, multi-row {@code INSERT}s, or the first when the server allows
     * it.
     */
    public static final Option<String> BULK_LOAD =
            Option.choice(
                            "bulk-load",
                            "Sink only: how snapshot rows go into a table the sink created or found"
                                    + " empty: load-data (LOAD DATA LOCAL INFILE from a stream, no"
                                    + " file written; fails when the server's local_infile is"
                                    + " OFF), insert (multi-row INSERTs of batch-rows rows) or auto"
                                    + " (load-data, and insert with one warning when the server"
                                    + " refuses it)",
                            "auto",
                            "auto",
                            "load-data",
                            "insert")
                    .onlyFor(Usage.SINK);

    /** The length of a string key column without a declared length. */
    public static final Option<Integer> KEY_TEXT_LENGTH =
            Option.integer(
                            "key-text-length",
                            "Sink only: characters of the VARCHAR a primary-key column of"
                                    + " unbounded text (PostgreSQL text) is created with, since"
                                    + " MySQL indexes only bounded strings; a longer key value"
                                    + " fails the write. At most 768 (3072 bytes of utf8mb4)",
                            255)
                    .onlyFor(Usage.SINK);

    /** The column type of instants that come from other systems. */
    public static final Option<String> INSTANT_TYPE =
            Option.choice(
                            "instant-type",
                            "Sink only: the column type of instants from other systems"
                                    + " (PostgreSQL timestamptz): timestamp (MySQL TIMESTAMP, an"
                                    + " instant, which holds only 1970-01-01 00:00:01 to 2038-01-19"
                                    + " 03:14:07 UTC; other values fail the write) or datetime"
                                    + " (DATETIME holding the UTC wall clock, years 1000 to 9999,"
                                    + " which MySQL and verification then read as a wall clock)",
                            "timestamp",
                            "timestamp",
                            "datetime")
                    .onlyFor(Usage.SINK);

    /** How often the server sends a heartbeat on an idle binary log connection. */
    public static final Option<Duration> HEARTBEAT_INTERVAL =
            Option.duration(
                            "heartbeat-interval",
                            "Change data capture: how often the server sends a heartbeat while its"
                                    + " binary log is idle; a connection silent for three intervals"
                                    + " is reconnected from the stored position. Zero (0s) turns"
                                    + " heartbeats off",
                            Duration.ofSeconds(10))
                    .onlyFor(Usage.STREAM_SOURCE);

    /** The {@code server_id} the binlog client registers with. */
    public static final Option<Long> SERVER_ID =
            Option.longValue(
                            "server-id",
                            "Change data capture: the server_id the binlog reader registers with,"
                                    + " unique among the server's replicas; 0 derives one from the"
                                    + " pipeline's name (between 2^30 and 2^31)",
                            0)
                    .onlyFor(Usage.STREAM_SOURCE);

    /** Every option, in the order of the docs. */
    public static final List<Option<?>> ALL =
            List.of(
                    URL,
                    USER,
                    PASSWORD,
                    StandardOptions.TABLES,
                    StandardOptions.EXCLUDE_TABLES,
                    CONNECT_TIMEOUT,
                    BATCH_ROWS,
                    BULK_LOAD,
                    KEY_TEXT_LENGTH,
                    INSTANT_TYPE,
                    StandardOptions.COLUMN_TYPES,
                    HEARTBEAT_INTERVAL,
                    SERVER_ID,
                    StandardOptions.ZERO_DATES);

    private MySqlOptions() {}
}
