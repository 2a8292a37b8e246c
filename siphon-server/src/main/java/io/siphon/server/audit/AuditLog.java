package io.siphon.server.audit;

import io.siphon.server.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Who changed what, when and from where: every call that is not a read, and every read that used a
 * connection's secrets or was refused for too many sign-ins (those leave a {@linkplain #note
 * note}).
 */
@Repository
public class AuditLog {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final int MAX_PATH = 1000;
    private static final int MAX_DETAIL = 1000;
    private static final String NOTE = AuditLog.class.getName() + ".note";

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether a request changes something, and so is recorded. */
    public static boolean mutating(HttpServletRequest request) {
        return !READS.contains(request.getMethod());
    }

    /** Whether a request is recorded: it changes something, or something noted it. */
    public static boolean recorded(HttpServletRequest request) {
        return mutating(request) || request.getAttribute(NOTE) != null;
    }

    /**
     * Adds a detail to the audit record of the current request (where a connection went, what
     * changed); does nothing outside a request.
     */
    public static void note(String detail) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return;
        }
        Object before = request.getAttribute(NOTE, RequestAttributes.SCOPE_REQUEST);
        request.setAttribute(
                NOTE,
                before == null ? detail : before + "; " + detail,
                RequestAttributes.SCOPE_REQUEST);
    }

    /** Records a call, its answer's status and what was noted about it. */
    public void record(HttpServletRequest request, String username, int status) {
        String path = request.getRequestURI();
        if (request.getQueryString() != null) {
            path += "?" + request.getQueryString();
        }
        if (path.length() > MAX_PATH) {
            path = path.substring(0, MAX_PATH);
        }
        Object note = request.getAttribute(NOTE);
        String detail = note == null ? null : note.toString();
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL);
        }
        jdbc.sql(
                        "INSERT INTO siphon_audit (occurred_at, username, remote_address, method,"
                                + " path, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        Timestamps.now(),
                        username,
                        request.getRemoteAddr(),
                        request.getMethod(),
                        path,
                        status,
                        detail)
                .update();
    }

    /** The latest events, newest first. */
    public List<AuditEvent> latest(int limit, String username) {
        String sql =
                "SELECT id, occurred_at, username, remote_address, method, path, status, detail"
                        + " FROM siphon_audit";
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
                                        rs.getInt("status"),
                                        rs.getString("detail")))
                .list();
    }
}
