package io.siphon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's Hazelcast member listens on loopback only, on the documented ports, and the
 * properties Siphon sets for it are defaults a JVM system property overrides.
 */
class EngineMemberTest {

    @TempDir Path stateDir;

    @Test
    void theMemberListensOnLoopbackOnlyFromPort5801() throws Exception {
        try (SiphonEngine engine = SiphonEngine.start(stateDir)) {
            HazelcastInstance member =
                    Hazelcast.getAllHazelcastInstances().stream()
                            .filter(h -> h.getConfig().getClusterName().startsWith("siphon-"))
                            .findFirst()
                            .orElseThrow();
            var address = member.getCluster().getLocalMember().getAddress();

            assertThat(address.getHost()).isEqualTo("127.0.0.1");
            assertThat(address.getPort()).isBetween(SiphonEngine.MEMBER_PORT, 6000);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
            }
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                assertThatThrownBy(
                                () -> {
                                    try (Socket s = new Socket()) {
                                        s.connect(
                                                new InetSocketAddress(
                                                        other.get(), address.getPort()),
                                                5_000);
                                    }
                                })
                        .as("not listening on %s", other.get())
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aSystemPropertyOverridesSiphonsDefault() {
        String name = "hazelcast.jet.job.scan.period";
        com.hazelcast.config.Config config = new com.hazelcast.config.Config();
        SiphonEngine.byDefault(config, name, "60000");
        assertThat(config.getProperty(name)).isEqualTo("60000");

        com.hazelcast.config.Config set = new com.hazelcast.config.Config();
        set.setProperty(name, "1000");
        SiphonEngine.byDefault(set, name, "60000");
        assertThat(set.getProperty(name)).isEqualTo("1000");

        String before = System.getProperty(name);
        System.setProperty(name, "5000");
        try {
            com.hazelcast.config.Config fromJvm = new com.hazelcast.config.Config();
            SiphonEngine.byDefault(fromJvm, name, "60000");
            assertThat(fromJvm.getProperty(name)).isEqualTo("5000");
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
