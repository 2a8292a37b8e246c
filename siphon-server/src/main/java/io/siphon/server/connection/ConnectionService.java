package io.siphon.server.connection;

import io.siphon.engine.Connections;
import io.siphon.model.TableSchema;
import io.siphon.server.audit.AuditLog;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final HostAllowlist allowlist;
    private final Connections connections = Connections.installed();

    ConnectionService(ConnectionStore store, HostAllowlist allowlist) {
        this.store = store;
        this.allowlist = allowlist;
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
     * returned by the API or logged. Each use is checked against {@code --allow-hosts} and noted in
     * the audit log with its target.
     */
    public Map<String, Object> options(String name) {
        return use(store.get(name));
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

    /**
     * The names of the options only a connection may set, never a pipeline naming it: above all
     * where it goes and as whom.
     */
    public Set<String> connectionOnlyKeys(String type) {
        Set<String> perPipeline =
                connections.pipelineOptions(type).stream()
                        .map(Option::name)
                        .collect(Collectors.toSet());
        return connections.options(type).stream()
                .map(Option::name)
                .filter(n -> !perPipeline.contains(n))
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
        check(name, type, options);
        if (store.find(name).isPresent()) {
            throw new SiphonException(
                    ErrorCode.ALREADY_EXISTS,
                    "connection '"
                            + name
                            + "' exists already; change it with PUT or pick a new name");
        }
        Set<String> secret = secretKeys(type);
        store.insert(name, type, only(options, secret, false), only(options, secret, true), user);
        AuditLog.note("target " + ConnectionTarget.of(options).description());
        return get(name);
    }

    /**
     * Replaces a connection's options. A secret option left out keeps its stored value, so a client
     * can change, say, a timeout without knowing the password; but a change of where the connection
     * goes or as whom (its URL, user: every option a pipeline may not set) needs the stored secrets
     * sent again, or the password would follow the connection to a place its owner never chose.
     * Sending every secret again also repairs a connection whose stored secrets were sealed with a
     * lost key. The changed keys are noted in the audit log.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_MISSING_KEY} when the target changes without
     *     the secrets
     */
    @Transactional
    public ConnectionView update(String name, String type, Map<String, Object> config) {
        ConnectionStore.Stored stored = store.get(name);
        String newType = type == null ? stored.view().type() : type;
        Map<String, Object> options = new LinkedHashMap<>(config == null ? Map.of() : config);
        Set<String> secret = secretKeys(newType);
        List<String> moved = movedKeys(stored, newType, options, secret);
        boolean resent = options.keySet().containsAll(stored.view().secrets());
        if (!moved.isEmpty() && !resent) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY,
                    "config: changing "
                            + String.join(", ", moved)
                            + " of connection '"
                            + name
                            + "' changes where its stored secrets would be sent; send "
                            + String.join(", ", stored.view().secrets())
                            + " again with the change");
        }
        if (newType.equals(stored.view().type()) && !options.keySet().containsAll(secret)) {
            // Given every secret, the stored ones are not needed: nor readable, after the key
            // they were sealed with was lost.
            stored.secretValues().forEach(options::putIfAbsent);
        }
        check(name, newType, options);
        store.update(name, newType, only(options, secret, false), only(options, secret, true));
        AuditLog.note(
                "changed "
                        + (moved.isEmpty() ? "no target option" : String.join(", ", moved))
                        + (config != null && config.keySet().stream().anyMatch(secret::contains)
                                ? "; secrets entered again"
                                : "")
                        + "; target "
                        + ConnectionTarget.of(options).description());
        return get(name);
    }

    /** The options only a connection may set (not secrets) whose value this change alters. */
    private List<String> movedKeys(
            ConnectionStore.Stored stored,
            String newType,
            Map<String, Object> options,
            Set<String> secret) {
        List<String> moved = new ArrayList<>();
        if (!newType.equals(stored.view().type())) {
            moved.add("type");
        }
        for (String key : connectionOnlyKeys(newType)) {
            if (!secret.contains(key)
                    && !Objects.equals(stored.plain().get(key), options.get(key))) {
                moved.add(key);
            }
        }
        return moved;
    }

    /**
     * Checks options as the connector reads them (without connecting) and against {@code
     * --allow-hosts}.
     */
    private void check(String name, String type, Map<String, Object> options) {
        connections.checkOffline(type, options);
        allowlist.check(name, ConnectionTarget.of(options));
    }

    /** A stored connection's options for a use: allowed, and noted in the audit log. */
    private Map<String, Object> use(ConnectionStore.Stored stored) {
        String name = stored.view().name();
        ConnectionTarget target = ConnectionTarget.of(stored.plain());
        allowlist.check(name, target);
        AuditLog.note("connection " + name + " to " + target.description());
        return stored.options();
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
        return connections.check(stored.view().type(), use(stored), usage);
    }

    /** The tables the connection reaches, with columns and types. */
    public List<TableSchema> tables(String name) {
        ConnectionStore.Stored stored = store.get(name);
        return connections.discover(stored.view().type(), use(stored));
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
