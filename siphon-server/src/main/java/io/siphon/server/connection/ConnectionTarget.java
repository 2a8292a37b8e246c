package io.siphon.server.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a connection's options point: the hosts it connects to, read from its {@code url} (the
 * authority part, {@code //host:port,host2/...}) or its {@code host}/{@code hosts} options, and a
 * description for the audit log. Connector-neutral on purpose: the server checks every connector
 * the same way.
 */
record ConnectionTarget(List<String> hosts, String description) {

    static ConnectionTarget of(Map<String, Object> options) {
        List<String> hosts = new ArrayList<>();
        String description = null;
        if (options.get("url") instanceof String url) {
            int query = url.indexOf('?');
            description = query < 0 ? url : url.substring(0, query);
            int start = url.indexOf("//");
            if (start >= 0) {
                int end = start + 2;
                while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
                    end++;
                }
                for (String part : url.substring(start + 2, end).split(",")) {
                    addHost(hosts, part);
                }
            }
        }
        for (String key : List.of("host", "hosts")) {
            Object value = options.get(key);
            if (value instanceof String s) {
                for (String part : s.split(",")) {
                    addHost(hosts, part);
                }
            } else if (value instanceof List<?> list) {
                list.forEach(v -> addHost(hosts, String.valueOf(v)));
            }
        }
        if (description == null) {
            description = hosts.isEmpty() ? "an unknown host" : String.join(",", hosts);
        }
        return new ConnectionTarget(List.copyOf(hosts), description);
    }

    /** Adds {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port} without its port. */
    private static void addHost(List<String> hosts, String part) {
        String p = part.strip();
        int at = p.lastIndexOf('@');
        if (at >= 0) {
            p = p.substring(at + 1);
        }
        if (p.startsWith("[")) {
            int close = p.indexOf(']');
            p = close < 0 ? p.substring(1) : p.substring(1, close);
        } else if (p.indexOf(':') == p.lastIndexOf(':') && p.indexOf(':') >= 0) {
            p = p.substring(0, p.indexOf(':'));
        }
        if (!p.isEmpty()) {
            hosts.add(p);
        }
    }
}
