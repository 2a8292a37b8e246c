package io.siphon.connector.postgres;

import io.siphon.spi.Option;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.Usage;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the PostgreSQL connector. Deliberately few: everything else (SSL, target session
 * attributes, ...) goes into the JDBC URL as pgjdbc parameters. The source's {@code tables} and
 * {@code exclude-tables} are the {@link StandardOptions} every source shares.
 */
public final class PostgresOptions {

    /** Where the database is. */
    public static final Option<String> URL =
            Option.string(
                            "url",
                            "JDBC URL of the database: jdbc:postgresql://host:port/database"
                                    + " (pgjdbc parameters such as sslmode may follow after ?)")
                    .asRequired();

    /** Who connects. */
    public static final Option<String> USER = Option.string("user", "User (role) to connect as");

    /** The user's password. */
    public static final Option<String> PASSWORD =
            Option.string("password", "Password of the user").asSensitive();

    /** The schema of names written without one. */
    public static final Option<String> DEFAULT_SCHEMA =
            Option.string(
                    "default-schema",
                    "Schema of table names and patterns written without a schema",
                    "public");

    /** How long to wait for a connection. */
    public static final Option<Duration> CONNECT_TIMEOUT =
            Option.duration(
                    "connect-timeout",
                    "How long to wait for the server to accept a connection",
                    Duration.ofSeconds(10));

    /** How much a sink sends to a COPY at once. */
    public static final Option<Integer> COPY_BUFFER_KB =
            Option.integer(
                            "copy-buffer-kb",
                            "Sink only: kilobytes of encoded rows sent to the server in one COPY message",
                            256)
                    .onlyFor(Usage.SINK);

    /** The replication slot of a change stream. */
    public static final Option<String> SLOT_NAME =
            Option.string(
                            "slot-name",
                            "Change data capture: the replication slot to stream from (created when"
                                    + " missing); default siphon_<pipeline>")
                    .onlyFor(Usage.STREAM_SOURCE);

    /** The publication of a change stream. */
    public static final Option<String> PUBLICATION_NAME =
            Option.string(
                            "publication-name",
                            "Change data capture: a publication the tables' owner manages, naming the"
                                    + " streamed tables; Siphon never creates or changes it (a matching"
                                    + " table it leaves out is named with the ALTER PUBLICATION to run)."
                                    + " Without it Siphon manages siphon_<pipeline> itself, which needs"
                                    + " the tables' ownership")
                    .onlyFor(Usage.STREAM_SOURCE);

    /** How often an idle change stream writes a heartbeat. */
    public static final Option<Duration> HEARTBEAT_INTERVAL =
            Option.duration(
                            "heartbeat-interval",
                            "Change data capture: how often to write a heartbeat message into the WAL, so"
                                    + " that the slot advances while the streamed tables are idle; zero"
                                    + " (0s) turns heartbeats off",
                            Duration.ofSeconds(10))
                    .onlyFor(Usage.STREAM_SOURCE);

    /** Where a new {@code mode: cdc} stream starts. */
    public static final Option<String> START_LSN =
            Option.string(
                            "start-lsn",
                            "Change data capture, mode cdc: stream the changes committed after this LSN"
                                    + " (like 0/16B3748) instead of from now, when the pipeline has no"
                                    + " stored position yet; PostgreSQL keeps WAL only from the slot's"
                                    + " creation on, so an earlier LSN is refused")
                    .onlyFor(Usage.STREAM_SOURCE);

    /** Every option, in the order of the docs. */
    public static final List<Option<?>> ALL =
            List.of(
                    URL,
                    USER,
                    PASSWORD,
                    StandardOptions.TABLES,
                    StandardOptions.EXCLUDE_TABLES,
                    DEFAULT_SCHEMA,
                    CONNECT_TIMEOUT,
                    COPY_BUFFER_KB,
                    StandardOptions.COLUMN_TYPES,
                    SLOT_NAME,
                    PUBLICATION_NAME,
                    HEARTBEAT_INTERVAL,
                    START_LSN);

    private PostgresOptions() {}
}
