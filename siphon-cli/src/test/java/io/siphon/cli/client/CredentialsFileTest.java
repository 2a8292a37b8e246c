package io.siphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    @TempDir Path dir;

    @BeforeEach
    void useTheTemporaryFolder() {
        System.setProperty(CredentialsFile.CONFIG_DIR_PROPERTY, dir.toString());
    }

    @AfterEach
    void forgetIt() {
        System.clearProperty(CredentialsFile.CONFIG_DIR_PROPERTY);
    }

    @Test
    void whatIsWrittenIsReadBackAndReplaced() {
        CredentialsFile file = CredentialsFile.standard();
        Credentials first =
                new Credentials(URI.create("http://localhost:8080"), "admin", "1", "sph_one");
        Credentials second =
                new Credentials(URI.create("http://localhost:8080"), "bob", "2", "sph_two");

        assertThat(file.read()).isEmpty();
        file.write(first);
        file.write(second);

        assertThat(file.path()).isEqualTo(dir.resolve("credentials.json"));
        assertThat(file.read()).contains(second);
        assertThat(file.delete()).isTrue();
        assertThat(file.read()).isEmpty();
    }

    @Test
    void aDamagedFileSaysHowToRecover() throws IOException {
        Files.writeString(dir.resolve("credentials.json"), "{ not json");

        assertThatThrownBy(() -> CredentialsFile.standard().read())
                .isInstanceOf(SiphonException.class)
                .hasMessage(
                        "the credentials file "
                                + dir.resolve("credentials.json")
                                + " is not valid JSON; sign in again with siphon login, or delete"
                                + " it")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.CONFIG_SYNTAX);
    }

    @Test
    void theTokenIsNeverInTheTextOfTheCredentials() {
        Credentials credentials =
                new Credentials(URI.create("http://localhost:8080"), "admin", "1", "sph_secret");

        assertThat(credentials.toString())
                .isEqualTo("Credentials[server=http://localhost:8080, username=admin, tokenId=1]");
    }
}
