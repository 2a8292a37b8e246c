package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.Capability;
import io.siphon.spi.Config;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PostgresConnectorFactoryTest {

    private static ConnectorFactory postgres() {
        return ServiceLoader.load(ConnectorFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("postgres"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void isFoundByItsTypeName() {
        assertThat(postgres()).isInstanceOf(PostgresConnectorFactory.class);
    }

    @Test
    void declaresASmallSetOfOptionsWithTheUrlRequiredAndThePasswordSecret() {
        List<Option<?>> options = postgres().options();
        assertThat(options)
                .extracting(Option::name)
                .containsExactly(
                        "url",
                        "user",
                        "password",
                        "tables",
                        "exclude-tables",
                        "default-schema",
                        "connect-timeout",
                        "copy-buffer-kb",
                        "column-types",
                        "slot-name",
                        "publication-name",
                        "heartbeat-interval",
                        "start-lsn");
        assertThat(options)
                .filteredOn(Option::required)
                .extracting(Option::name)
                .containsExactly("url");
        assertThat(options)
                .filteredOn(Option::sensitive)
                .extracting(Option::name)
                .containsExactly("password");
        assertThat(PostgresOptions.DEFAULT_SCHEMA.defaultValue()).isEqualTo("public");
        assertThat(PostgresOptions.HEARTBEAT_INTERVAL.defaultValue())
                .isEqualTo(java.time.Duration.ofSeconds(10));
    }

    @Test
    void createsAConnectorWithoutConnecting() {
        Config config =
                Config.of(
                        Map.of(
                                "url",
                                "jdbc:postgresql://nowhere.invalid:5432/db",
                                "password",
                                "s3cret"),
                        postgres().options(),
                        List.of());
        try (var connector = (PostgresConnector) postgres().create(config)) {
            assertThat(connector.capabilities())
                    .containsExactlyInAnyOrder(
                            Capability.SNAPSHOT_SOURCE,
                            Capability.STREAM_SOURCE,
                            Capability.WATERMARKS,
                            Capability.SINK,
                            Capability.BULK_LOAD,
                            Capability.SCHEMA_CHANGES);
            assertThat(connector.endpoint().address()).isEqualTo("nowhere.invalid:5432");
            assertThat(connector.endpoint().database()).isEqualTo("db");
            assertThat(connector.endpoint().toString()).doesNotContain("s3cret");
        }
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void rejectsAUrlThatIsNotPostgres() {
        Config config =
                Config.of(Map.of("url", "jdbc:mysql://h/db"), postgres().options(), List.of());
        assertThatThrownBy(() -> postgres().create(config))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE));
    }
}
