package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlParametersTest {

    private static PostgresEndpoint endpoint(String url) {
        return PostgresEndpoint.of(Config.of(Map.of("url", url), PostgresOptions.ALL, "config"));
    }

    @Test
    void aPasswordInTheUrlIsRefusedPointingToThePasswordOption() {
        assertThatThrownBy(() -> endpoint("jdbc:postgresql://db:5432/shop?password=hunter2"))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE))
                .hasMessage(
                        "url: the parameter 'password' is not allowed in the URL; put the user in"
                                + " 'user' and the password in 'password', where it is kept"
                                + " secret");
        assertThatThrownBy(() -> endpoint("jdbc:postgresql://db/shop?ssl=true&USER=x"))
                .hasMessageContaining("the parameter 'USER' is not allowed");
    }

    @Test
    void credentialsBeforeTheHostAreRefused() {
        assertThatThrownBy(() -> endpoint("jdbc:postgresql://siphon:hunter2@db:5432/shop"))
                .hasMessage(
                        "url: credentials are not allowed in the URL; put the user in 'user' and"
                                + " the password in 'password', where it is kept secret");
    }

    @Test
    void parametersThatLoadClassesOrWriteFilesAreRefused() {
        assertThatThrownBy(
                        () ->
                                endpoint(
                                        "jdbc:postgresql://db/shop?sslmode=require"
                                                + "&socketFactory=x.Y&sslfactory=a.B"
                                                + "&authenticationPluginClassName=c.D"
                                                + "&loggerFile=/tmp/x"))
                .hasMessageStartingWith(
                        "url: the pgjdbc parameters [socketFactory, sslfactory,"
                                + " authenticationPluginClassName, loggerFile] are not allowed;"
                                + " the URL may carry only ApplicationName,");
    }

    @Test
    void theAllowedParametersAreSortedAndDocumented() throws Exception {
        assertThat(UrlParameters.ALLOWED).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
        String doc =
                Files.readString(Path.of("..", "..", "docs", "connectors", "postgres.md"))
                        .replaceAll("\\s+", " ");
        assertThat(doc).contains("`" + String.join("`, `", UrlParameters.ALLOWED) + "`.");
    }

    @Test
    void everydayParametersAreAccepted() {
        PostgresEndpoint e =
                endpoint(
                        "jdbc:postgresql://db:6543/shop?sslmode=verify-full&sslrootcert=/ca.pem"
                                + "&targetServerType=primary&ApplicationName=x");
        assertThat(e.address()).isEqualTo("db:6543");
        assertThat(e.database()).isEqualTo("shop");
    }
}
