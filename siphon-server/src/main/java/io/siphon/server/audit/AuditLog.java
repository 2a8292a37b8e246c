package io.siphon.server.audit;

import io.siphon.server.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Who changed what, when and from where: every call that is not a read. */
@Repository
public class AuditLog {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final int MAX_PATH = 1000;

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether a request changes something, and so is recorded. */
    public static boolean mutating(HttpServletRequest request) {
        return !READS.contains(request.getMethod());
    }

    /** Records a mutating call and its answer's status. */
    public void record(HttpServletRequest request, String username, int status) {
        String path = request.getRequestURI();
        if (request.getQueryString() != null) {
            path += "?" + request.getQueryString();
        }
        if (path.length() > MAX_PATH) {
            path = path.substring(0, MAX_PATH);
        }
        jdbc.sql(
                        "INSERT INTO siphon_audit (occurred_at, username, remote_address, method,"
                                + " path, status) VALUES (?, ?, ?, ?, ?, ?)")
                .params(
                        Timestamps.now(),
                        username,
                        request.getRemoteAddr(),
                        request.getMethod(),
                        path,
                        status)
                .update();
    }

    /** The latest events, newest first. */
    public List<AuditEvent> latest(int limit, String username) {
        String sql =
                "SELECT id, occurred_at, username, remote_address, method, path, status FROM"
                        + " siphon_audit";
        var query =
                username == null
                        ? jdbc.sql(sql + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY").param(limit)
                        : jdbc.sql(
                                        sql
                                                + " WHERE username = ? ORDER BY id DESC FETCH FIRST"
                                                + " ? ROWS ONLY")
                                .params(username, limit);
        return query.query(
                        (rs, row) ->
                                new AuditEvent(
                                        rs.getLong("id"),
                                        Timestamps.read(rs, "occurred_at"),
                                        rs.getString("username"),
                                        rs.getString("remote_address"),
                                        rs.getString("method"),
                                        rs.getString("path"),
                                        rs.getInt("status")))
                .list();
    }
}
