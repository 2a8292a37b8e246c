package io.siphon.server.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.server.ServerSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAllowlistTest {

    private static HostAllowlist allowing(String... entries) {
        return new HostAllowlist(
                ServerSettings.defaults(Path.of("unused")).withAllowHosts(List.of(entries)));
    }

    private static ConnectionTarget target(String url) {
        return ConnectionTarget.of(Map.of("url", url));
    }

    @Test
    void readsEveryHostOfAUrlWithoutPortsOrCredentials() {
        assertThat(target("jdbc:postgresql://a:5432,[fd00::1]:6432,b/db?sslmode=require"))
                .isEqualTo(
                        new ConnectionTarget(
                                List.of("a", "fd00::1", "b"),
                                "jdbc:postgresql://a:5432,[fd00::1]:6432,b/db"));
        assertThat(target("jdbc:postgresql://u:p@c:1/db").hosts()).containsExactly("c");
        assertThat(ConnectionTarget.of(Map.of("host", "h1,h2")).hosts())
                .containsExactly("h1", "h2");
    }

    @Test
    void allowsListedNamesAndAddressesInsideListedNetworks() {
        HostAllowlist list = allowing("db1.internal", "10.1.0.0/16", "fd00::/8");
        assertThatCode(() -> list.check("c", target("jdbc:postgresql://DB1.internal/x")))
                .doesNotThrowAnyException();
        assertThatCode(() -> list.check("c", target("jdbc:postgresql://10.1.255.3:5432/x")))
                .doesNotThrowAnyException();
        assertThatCode(() -> list.check("c", target("jdbc:postgresql://[fd12::5]/x")))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () -> list.check("c", target("jdbc:postgresql://db1.internal,10.2.0.1/x")))
                .hasMessage(
                        "connection 'c' goes to '10.2.0.1', which this server's --allow-hosts"
                                + " [db1.internal, 10.1.0.0/16, fd00::/8] does not allow; use an"
                                + " allowed host, or ask the server's administrator");
        assertThatThrownBy(() -> list.check("c", ConnectionTarget.of(Map.of())))
                .hasMessageContaining("cannot tell from its options");
    }

    @Test
    void anEmptyListAllowsEveryHostAndABadNetworkIsRefused() {
        assertThatCode(() -> allowing().check("c", target("jdbc:postgresql://anywhere/x")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> allowing("10.0.0.0/33"))
                .hasMessage(
                        "--allow-hosts: '10.0.0.0/33' is not a host name, an IP address or a CIDR"
                                + " network such as 10.0.0.0/8");
    }
}
