package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresConnectorFactory;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.EventMeta;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Config;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small named steps the change stream tests are written in. */
final class Cdc {

    private Cdc() {}

    /** A connector to a database as the superuser, with extra options as key, value pairs. */
    static PostgresConnector connector(PostgresServer server, String db, String... options) {
        return connector(server.jdbcUrl(db), PostgresServer.USER, options);
    }

    /** A connector as a given user (no password), with extra options. */
    static PostgresConnector connector(String url, String user, String... options) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", url);
        raw.put("user", user);
        raw.put("connect-timeout", "3s");
        for (int i = 0; i < options.length; i += 2) {
            raw.put(options[i], options[i + 1]);
        }
        return (PostgresConnector)
                new PostgresConnectorFactory()
                        .create(Config.of(raw, PostgresOptions.ALL, List.of("type")));
    }

    /**
     * Polls until at least {@code count} events arrived (and the polls in flight returned), or
     * fails after {@code timeout}.
     */
    static List<ChangeEvent> poll(ChangeStream stream, int count, Duration timeout) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "expected " + count + " events but got " + events.size() + ": " + events);
            }
            events.addAll(stream.poll(Duration.ofMillis(200)));
        }
        return events;
    }

    /** Everything that arrives within {@code duration}. */
    static List<ChangeEvent> pollFor(ChangeStream stream, Duration duration) {
        List<ChangeEvent> events = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            events.addAll(stream.poll(Duration.ofMillis(100)));
        }
        return events;
    }

    /** The events with their meta data replaced by {@link EventMeta#NONE}, for exact comparison. */
    static List<ChangeEvent> withoutMeta(List<ChangeEvent> events) {
        return events.stream().map(Cdc::withoutMeta).toList();
    }

    static ChangeEvent withoutMeta(ChangeEvent e) {
        EventMeta none = EventMeta.NONE;
        return switch (e) {
            case ChangeEvent.Insert i -> new ChangeEvent.Insert(i.table(), i.after(), none);
            case ChangeEvent.Update u ->
                    new ChangeEvent.Update(
                            u.table(), u.before(), u.beforeIsKeyOnly(), u.after(), none);
            case ChangeEvent.Delete d ->
                    new ChangeEvent.Delete(d.table(), d.before(), d.beforeIsKeyOnly(), none);
            case ChangeEvent.Truncate t -> new ChangeEvent.Truncate(t.table(), none);
            case ChangeEvent.CreateTable c ->
                    new ChangeEvent.CreateTable(c.table(), c.schema(), none);
            case ChangeEvent.DropTable d -> new ChangeEvent.DropTable(d.table(), none);
            case ChangeEvent.RenameTable r ->
                    new ChangeEvent.RenameTable(r.table(), r.newName(), none);
            case ChangeEvent.AddColumn a ->
                    new ChangeEvent.AddColumn(a.table(), a.column(), a.afterColumn(), none);
            case ChangeEvent.DropColumn d ->
                    new ChangeEvent.DropColumn(d.table(), d.columnName(), none);
            case ChangeEvent.RenameColumn r ->
                    new ChangeEvent.RenameColumn(r.table(), r.oldName(), r.newName(), none);
            case ChangeEvent.AlterColumnType t ->
                    new ChangeEvent.AlterColumnType(t.table(), t.column(), none);
        };
    }

    /** One value of a query, as text. */
    static String query(PostgresServer server, String db, String sql) throws Exception {
        try (Connection c = server.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The slot's confirmed position, null when the slot does not exist. */
    static PgLsn confirmedFlush(PostgresServer server, String db, String slot) throws Exception {
        String lsn =
                query(
                        server,
                        db,
                        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE"
                                + " slot_name = '"
                                + slot
                                + "'");
        return lsn == null ? null : PgLsn.parse(lsn);
    }

    /** The schema of one table, discovered. */
    static TableSchema table(PostgresConnector c, String name) {
        return c.discover(io.siphon.connector.postgres.Pg.tables(name)).get(0);
    }
}
