package io.siphon.connector.mysql.binlog;

import java.time.Duration;

/**
 * How a binlog stream runs, from the connector's options.
 *
 * @param heartbeat how often the server sends a heartbeat while its log is idle; zero for none
 * @param clientId the {@code server_id} the binlog client registers with, or null to derive one
 *     from the pipeline's name
 * @param zeroDatesAsNull whether a zero date ({@code 0000-00-00}) is carried as NULL rather than
 *     stopping the stream with an error (the {@code zero-dates} option)
 */
public record BinlogSettings(Duration heartbeat, Long clientId, boolean zeroDatesAsNull) {}
