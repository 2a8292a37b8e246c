package io.siphon.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.server.ServerSettings;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir Path dir;

    @Test
    void sealedTextOpensWithTheSameKeyAndContextOnly() {
        SecretBox box = new SecretBox(ServerSettings.defaults(dir));
        String sealed = box.seal("{\"password\":\"hunter22\"}", "connection a");

        assertThat(sealed).startsWith("v1:").doesNotContain("hunter22");
        assertThat(box.open(sealed, "connection a")).isEqualTo("{\"password\":\"hunter22\"}");
        assertThat(box.seal("same", "c")).isNotEqualTo(box.seal("same", "c"));
        assertThatThrownBy(() -> box.open(sealed, "connection b"))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("cannot be decrypted with this server's key");
    }

    @Test
    void keyFileIsCreatedOnceReadableByItsOwnerOnly() throws Exception {
        String sealed = new SecretBox(ServerSettings.defaults(dir)).seal("x", "c");
        Path keyFile = dir.resolve(SecretBox.KEY_FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
        assertThat(new SecretBox(ServerSettings.defaults(dir)).open(sealed, "c")).isEqualTo("x");
    }

    @Test
    void anotherKeyCannotOpenAndSaysWhatToDo() {
        String sealed = new SecretBox(ServerSettings.defaults(dir)).seal("x", "c");
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        SecretBox other = new SecretBox(ServerSettings.defaults(dir).withSecretKey(otherKey));

        assertThatThrownBy(() -> other.open(sealed, "c"))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("SIPHON_SECRET_KEY")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
    }

    @Test
    void aKeyOfTheWrongLengthIsRefused() {
        assertThatThrownBy(
                        () -> new SecretBox(ServerSettings.defaults(dir).withSecretKey("c2hvcnQ=")))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("must be base64 of 32 random bytes");
    }
}
