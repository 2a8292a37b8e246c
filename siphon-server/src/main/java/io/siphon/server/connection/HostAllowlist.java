package io.siphon.server.connection;

import io.siphon.server.ServerSettings;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The hosts connections may go to ({@code --allow-hosts}): host names, IP addresses and CIDR
 * networks. Empty allows every host. A host name in a connection is allowed when the list names it,
 * or when every address it resolves to lies in a listed network.
 */
@Component
class HostAllowlist {

    private final List<String> entries;
    private final List<String> names = new ArrayList<>();
    private final List<Network> networks = new ArrayList<>();

    HostAllowlist(ServerSettings settings) {
        this.entries = settings.allowHosts();
        for (String entry : entries) {
            Network network = Network.parse(entry);
            if (network == null) {
                names.add(entry.toLowerCase(Locale.ROOT));
            } else {
                networks.add(network);
            }
        }
    }

    /**
     * Refuses a connection whose target is not allowed.
     *
     * @throws SiphonException {@link ErrorCode#ACCESS_DENIED} naming the host and the list
     */
    void check(String connection, ConnectionTarget target) {
        if (entries.isEmpty()) {
            return;
        }
        if (target.hosts().isEmpty()) {
            throw refused(connection, "goes to a host this server cannot tell from its options");
        }
        for (String host : target.hosts()) {
            if (!allowed(host)) {
                throw refused(connection, "goes to '" + host + "'");
            }
        }
    }

    private boolean allowed(String host) {
        if (names.contains(host.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (networks.isEmpty()) {
            return false;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return false;
        }
        for (InetAddress address : addresses) {
            if (networks.stream().noneMatch(n -> n.contains(address))) {
                return false;
            }
        }
        return true;
    }

    private SiphonException refused(String connection, String what) {
        return new SiphonException(
                ErrorCode.ACCESS_DENIED,
                "connection '"
                        + connection
                        + "' "
                        + what
                        + ", which this server's --allow-hosts "
                        + entries
                        + " does not allow; use an allowed host, or ask the server's administrator");
    }

    /** An IP network: an address and how many leading bits must match. */
    private record Network(byte[] address, int bits) {

        /**
         * The network of {@code 10.0.0.0/8}, {@code 192.168.1.5} or {@code fd00::/8}; else null.
         */
        static Network parse(String text) {
            String[] parts = text.strip().split("/", 2);
            if (!parts[0].matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
                return null;
            }
            try {
                // A literal address: getByName does no lookup for it.
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (bits < 0 || bits > address.length * 8) {
                    throw invalid(text);
                }
                return new Network(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw invalid(text);
            }
        }

        boolean contains(InetAddress candidate) {
            byte[] other = candidate.getAddress();
            if (other.length != address.length) {
                return false;
            }
            int shift = address.length * 8 - bits;
            return new BigInteger(1, address)
                    .shiftRight(shift)
                    .equals(new BigInteger(1, other).shiftRight(shift));
        }

        private static SiphonException invalid(String text) {
            return new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "--allow-hosts: '"
                            + text
                            + "' is not a host name, an IP address or a CIDR network such as"
                            + " 10.0.0.0/8");
        }
    }
}
