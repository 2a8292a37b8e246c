package io.siphon.server.connection;

import io.siphon.engine.Connections;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Connections: named, checked option sets of one connector type, whose secret options are kept
 * encrypted and never shown. Pipelines refer to them by name.
 */
@Service
public class ConnectionService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private final ConnectionStore store;
    private final Connections connections = Connections.installed();

    ConnectionService(ConnectionStore store) {
        this.store = store;
    }

    /** Every connection. */
    public List<ConnectionView> list() {
        return store.list();
    }

    /** One connection. */
    public ConnectionView get(String name) {
        return store.get(name).view();
    }

    /**
     * Every option of a connection, secrets included, as its connector takes them. Never to be
     * returned by the API or logged.
     */
    public Map<String, Object> options(String name) {
        return store.get(name).options();
    }

    /** The connector type of a connection. */
    public String type(String name) {
        return store.get(name).view().type();
    }

    /** The names of a connector type's secret options. */
    public Set<String> secretKeys(String type) {
        return connections.options(type).stream()
                .filter(Option::sensitive)
                .map(Option::name)
                .collect(Collectors.toSet());
    }

    /** Creates a connection after checking its options (but not connecting: {@link #test} does). */
    @Transactional
    public ConnectionView create(
            String name, String type, Map<String, Object> config, String user) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "name: '"
                            + name
                            + "' is not a valid connection name; use 1 to 63 letters, digits, '_'"
                            + " or '-', starting with a letter or digit");
        }
        if (type == null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY, "type: missing; for example \"postgres\"");
        }
        Map<String, Object> options = config == null ? Map.of() : config;
        connections.config(type, options);
        if (store.find(name).isPresent()) {
            throw new SiphonException(
                    ErrorCode.ALREADY_EXISTS,
                    "connection '"
                            + name
                            + "' exists already; change it with PUT or pick a new name");
        }
        Set<String> secret = secretKeys(type);
        store.insert(name, type, only(options, secret, false), only(options, secret, true), user);
        return get(name);
    }

    /**
     * Replaces a connection's options. A secret option left out keeps its stored value, so a client
     * can change the URL without knowing the password.
     */
    @Transactional
    public ConnectionView update(String name, String type, Map<String, Object> config) {
        ConnectionStore.Stored stored = store.get(name);
        String newType = type == null ? stored.view().type() : type;
        Map<String, Object> options = new LinkedHashMap<>(config == null ? Map.of() : config);
        Set<String> secret = secretKeys(newType);
        if (newType.equals(stored.view().type())) {
            stored.secretValues().forEach(options::putIfAbsent);
        }
        connections.config(newType, options);
        store.update(name, newType, only(options, secret, false), only(options, secret, true));
        return get(name);
    }

    /**
     * Deletes a connection.
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} while a pipeline uses it
     */
    @Transactional
    public void delete(String name) {
        store.get(name);
        List<String> users = store.usedBy(name);
        if (!users.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.STATE_CONFLICT,
                    "connection '"
                            + name
                            + "' is used by the pipelines "
                            + users
                            + "; delete them or point them at another connection first");
        }
        store.delete(name);
    }

    /** Connects and checks the connection for a use; returns every problem with its fix. */
    public List<Problem> test(String name, Usage usage) {
        ConnectionStore.Stored stored = store.get(name);
        return connections.check(stored.view().type(), stored.options(), usage);
    }

    /** The tables the connection reaches, with columns and types. */
    public List<TableSchema> tables(String name) {
        ConnectionStore.Stored stored = store.get(name);
        return connections.discover(stored.view().type(), stored.options());
    }

    private static Map<String, Object> only(
            Map<String, Object> options, Set<String> secret, boolean secrets) {
        Map<String, Object> out = new LinkedHashMap<>();
        options.forEach(
                (k, v) -> {
                    if (secret.contains(k) == secrets) {
                        out.put(k, v);
                    }
                });
        return out;
    }
}
