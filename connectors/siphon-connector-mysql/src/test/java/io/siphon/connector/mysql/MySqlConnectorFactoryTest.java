package io.siphon.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.Config;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MySqlConnectorFactoryTest {

    @Test
    void serviceLoaderFindsTheConnectorByItsType() {
        assertThat(
                        ServiceLoader.load(ConnectorFactory.class).stream()
                                .map(ServiceLoader.Provider::get)
                                .filter(f -> f.type().equals("mysql"))
                                .toList())
                .singleElement()
                .isInstanceOf(MySqlConnectorFactory.class);
    }

    @Test
    void passwordIsSensitiveAndUrlRequired() {
        assertThat(MySqlOptions.PASSWORD.sensitive()).isTrue();
        assertThat(MySqlOptions.URL.required()).isTrue();
        assertThat(MySqlOptions.KEY_TEXT_LENGTH.defaultValue()).isEqualTo(255);
    }

    @Test
    void acceptsMysqlAndMariadbUrlsAndTalksToBothThroughTheMariadbDriver() {
        MySqlEndpoint mysql = endpoint("jdbc:mysql://db.example:3307/shop?sslMode=verify-full");
        assertThat(mysql.url())
                .isEqualTo("jdbc:mariadb://db.example:3307/shop?sslMode=verify-full");
        assertThat(mysql.address()).isEqualTo("db.example:3307");
        assertThat(mysql.database()).isEqualTo("shop");
        MySqlEndpoint mariadb = endpoint("jdbc:mariadb://localhost/shop");
        assertThat(mariadb.port()).isEqualTo(3306);
        assertThat(mariadb.toString()).doesNotContain("secret");
    }

    @Test
    void refusesUrlsWithoutDatabaseOrWithCredentials() {
        assertThatThrownBy(() -> endpoint("jdbc:postgresql://localhost/shop"))
                .isInstanceOf(SiphonException.class)
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
        assertThatThrownBy(() -> endpoint("jdbc:mysql://localhost:3306"))
                .hasMessageContaining("naming a database");
        assertThatThrownBy(() -> endpoint("jdbc:mysql://localhost/shop?password=x"))
                .hasMessageContaining("carries credentials");
    }

    private static MySqlEndpoint endpoint(String url) {
        return MySqlEndpoint.of(
                Config.of(
                        Map.of("url", url, "user", "u", "password", "secret"),
                        MySqlOptions.ALL,
                        List.of()));
    }
}
