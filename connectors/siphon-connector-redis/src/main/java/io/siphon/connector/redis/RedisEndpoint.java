package io.siphon.connector.redis;

import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.net.URI;
import java.net.URISyntaxException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where the server is and how to connect: parsed from {@link RedisOptions#URL} and the credentials.
 *
 * @param address host and port
 * @param client the client settings (database, TLS, user, password, timeouts)
 */
record RedisEndpoint(HostAndPort address, JedisClientConfig client) {

    /** The endpoint a configuration names; does not connect. */
    static RedisEndpoint of(Config config) {
        String url = config.get(RedisOptions.URL);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalidUrl(url, e);
        }
        if (uri.getHost() == null
                || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
            throw invalidUrl(url, null);
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw invalidUrl(url, e);
            }
        }
        int timeout = (int) config.get(RedisOptions.CONNECT_TIMEOUT).toMillis();
        DefaultJedisClientConfig.Builder client =
                DefaultJedisClientConfig.builder()
                        .database(database)
                        .ssl("rediss".equals(uri.getScheme()))
                        .connectionTimeoutMillis(timeout)
                        .socketTimeoutMillis(Math.max(timeout, 60_000))
                        .clientName("siphon");
        if (config.has(RedisOptions.USER)) {
            client.user(config.get(RedisOptions.USER));
        }
        if (config.has(RedisOptions.PASSWORD)) {
            client.password(config.get(RedisOptions.PASSWORD));
        }
        return new RedisEndpoint(
                new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()),
                client.build());
    }

    private static SiphonException invalidUrl(String url, Exception cause) {
        return new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                "url '"
                        + url
                        + "' is not a Redis URL: write redis://host:port or"
                        + " redis://host:port/database",
                cause);
    }

    /** Opens a connection (authenticated, database selected); the caller closes it. */
    Jedis connect() {
        Jedis jedis = null;
        try {
            // The constructor connects already: a server that is down fails here.
            jedis = new Jedis(address, client);
            jedis.ping();
            return jedis;
        } catch (JedisException e) {
            if (jedis != null) {
                jedis.close();
            }
            SiphonException translated = translate(e, "connecting to Redis at " + address);
            throw translated.code() == ErrorCode.SINK_WRITE_RETRIABLE
                    ? new SiphonException(ErrorCode.CONNECTION_FAILED, translated.getMessage(), e)
                    : translated;
        }
    }

    /**
     * The Siphon error for a client failure while doing something. A server that is still loading
     * its data after a restart accepts connections but answers every command with a {@code LOADING}
     * error: that passes like a lost connection, so it is retriable too.
     */
    static SiphonException translate(JedisException e, String doing) {
        ErrorCode code =
                switch (e) {
                    case JedisAccessControlException a -> ErrorCode.AUTH_FAILED;
                    case JedisConnectionException c -> ErrorCode.SINK_WRITE_RETRIABLE;
                    case JedisDataException d when loading(d) -> ErrorCode.SINK_WRITE_RETRIABLE;
                    default -> ErrorCode.SINK_WRITE_FAILED;
                };
        return new SiphonException(code, "Redis failed " + doing + ": " + e.getMessage(), e);
    }

    private static boolean loading(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("LOADING ");
    }
}
