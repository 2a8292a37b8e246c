package io.siphon.server.connection;

import io.siphon.server.Timestamps;
import io.siphon.server.secret.SecretBox;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Connections in the metadata store: plain options as JSON, secret options sealed by {@link
 * SecretBox} in their own column.
 */
@Repository
class ConnectionStore {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP =
            new TypeReference<>() {};

    /** The size of the {@code config_json} and {@code secrets} columns. */
    private static final int MAX_COLUMN = 100_000;

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final JsonMapper json;

    ConnectionStore(JdbcClient jdbc, SecretBox secrets, JsonMapper json) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.json = json;
    }

    /**
     * A stored connection with its secrets decrypted; only for use inside the server.
     *
     * @param unreadable why its secrets cannot be decrypted (they were sealed with another key), or
     *     null; the view then lists no secrets
     */
    record Stored(
            ConnectionView view,
            Map<String, Object> plain,
            Map<String, Object> secretValues,
            SiphonException unreadable) {

        /**
         * The secrets, decrypted.
         *
         * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when they were sealed with
         *     another key: they must be entered again
         */
        @Override
        public Map<String, Object> secretValues() {
            if (unreadable != null) {
                throw new SiphonException(unreadable.code(), unreadable.getMessage(), unreadable);
            }
            return secretValues;
        }

        /** Every option, secrets included, as a connector takes them. */
        Map<String, Object> options() {
            Map<String, Object> all = new LinkedHashMap<>(plain);
            all.putAll(secretValues());
            return all;
        }
    }

    List<ConnectionView> list() {
        return jdbc
                .sql("SELECT * FROM siphon_connection ORDER BY name")
                .query(this::row)
                .list()
                .stream()
                .map(Stored::view)
                .toList();
    }

    /** The names of the connections whose secrets this server's key cannot decrypt. */
    List<String> unreadable() {
        return jdbc
                .sql("SELECT * FROM siphon_connection ORDER BY name")
                .query(this::row)
                .list()
                .stream()
                .filter(c -> c.unreadable() != null)
                .map(c -> c.view().name())
                .toList();
    }

    Optional<Stored> find(String name) {
        return jdbc.sql("SELECT * FROM siphon_connection WHERE name = ?")
                .param(name)
                .query(this::row)
                .optional();
    }

    Stored get(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new SiphonException(
                                        ErrorCode.NOT_FOUND,
                                        "connection '" + name + "' does not exist"));
    }

    void insert(
            String name,
            String type,
            Map<String, Object> plain,
            Map<String, Object> secretValues,
            String user) {
        var now = Timestamps.now();
        jdbc.sql(
                        "INSERT INTO siphon_connection (name, type, config_json, secrets,"
                                + " created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?,"
                                + " ?)")
                .params(name, type, plainJson(plain), seal(name, secretValues), now, now, user)
                .update();
    }

    void update(
            String name, String type, Map<String, Object> plain, Map<String, Object> secretValues) {
        jdbc.sql(
                        "UPDATE siphon_connection SET type = ?, config_json = ?, secrets = ?,"
                                + " updated_at = ? WHERE name = ?")
                .params(type, plainJson(plain), seal(name, secretValues), Timestamps.now(), name)
                .update();
    }

    void delete(String name) {
        jdbc.sql("DELETE FROM siphon_connection WHERE name = ?").param(name).update();
    }

    /**
     * The pipelines that use a connection, by name: as their (first) source or sink, or as any node
     * of a graph, found in the stored spec's JSON.
     */
    List<String> usedBy(String name) {
        String node =
                "%\"connection\":\""
                        + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                        + "\"%";
        return jdbc.sql(
                        "SELECT name FROM siphon_pipeline WHERE source_connection = ? OR"
                                + " sink_connection = ? OR spec_json LIKE ? ESCAPE '\\' ORDER BY"
                                + " name")
                .params(name, name, node)
                .query(String.class)
                .list();
    }

    private String plainJson(Map<String, Object> plain) {
        return fitting(json.writeValueAsString(plain), "the options");
    }

    private String seal(String name, Map<String, Object> secretValues) {
        return fitting(
                secrets.seal(json.writeValueAsString(secretValues), context(name)),
                "the secret options (encrypted)");
    }

    /** Text for a column of {@link #MAX_COLUMN} characters, or a clear refusal. */
    private static String fitting(String text, String what) {
        if (text.length() > MAX_COLUMN) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "config: "
                            + what
                            + " take "
                            + text.length()
                            + " characters as stored, more than the "
                            + MAX_COLUMN
                            + " a connection may have; shorten them");
        }
        return text;
    }

    private static String context(String name) {
        return "connection " + name;
    }

    private Stored row(ResultSet rs, int row) throws SQLException {
        String name = rs.getString("name");
        Map<String, Object> plain = json.readValue(rs.getString("config_json"), MAP);
        Map<String, Object> secretValues;
        SiphonException unreadable = null;
        try {
            secretValues =
                    json.readValue(secrets.open(rs.getString("secrets"), context(name)), MAP);
        } catch (SiphonException e) {
            // Sealed with a key this server no longer has: the connection still lists, and
            // entering its secrets again (PUT) repairs it; only using them fails, with this error.
            secretValues = Map.of();
            unreadable = e;
        }
        ConnectionView view =
                new ConnectionView(
                        name,
                        rs.getString("type"),
                        plain,
                        List.copyOf(secretValues.keySet()),
                        Timestamps.read(rs, "created_at"),
                        Timestamps.read(rs, "updated_at"),
                        rs.getString("created_by"));
        return new Stored(view, plain, secretValues, unreadable);
    }
}
