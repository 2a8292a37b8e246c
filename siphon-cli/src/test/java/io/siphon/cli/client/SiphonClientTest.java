package io.siphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class SiphonClientTest {

    @Test
    void aServerAddressMayLeaveOutTheSchemeAndEndWithASlash() {
        assertThat(SiphonClient.serverUrl("localhost:8080"))
                .isEqualTo(URI.create("http://localhost:8080"));
        assertThat(SiphonClient.serverUrl(" https://siphon.example.com/base/ "))
                .isEqualTo(URI.create("https://siphon.example.com/base"));
    }

    @Test
    void anAddressThatIsNotHttpSaysWhatItShouldLookLike() {
        assertThatThrownBy(() -> SiphonClient.serverUrl("ftp://files.example.com"))
                .isInstanceOf(SiphonException.class)
                .hasMessage(
                        "'ftp://files.example.com' is not a server address; write it as"
                                + " http://host:port, for example http://localhost:8080")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
    }

    @Test
    void anErrorCodeThisClientDoesNotKnowIsInternal() {
        assertThat(SiphonClient.errorCode("STATE_CONFLICT")).isEqualTo(ErrorCode.STATE_CONFLICT);
        assertThat(SiphonClient.errorCode("A_CODE_FROM_A_NEWER_SERVER"))
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void aPathSegmentIsEscaped() {
        assertThat(SiphonClient.segment("a b/c")).isEqualTo("a%20b%2Fc");
    }
}
