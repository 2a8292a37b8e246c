package io.siphon.server.user;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void refusesShortBlankRepeatedCommonAndOwnNamePasswords() {
        assertThatThrownBy(() -> policy.check("ann", "12345678"))
                .hasMessage("password is too short; use at least 10 characters");
        assertThatThrownBy(() -> policy.check("ann", "          "))
                .hasMessage("password is blank; use letters, digits or symbols");
        assertThatThrownBy(() -> policy.check("ann", "xxxxxxxxxxxx"))
                .hasMessage("password is one character repeated; choose a harder one");
        assertThatThrownBy(() -> policy.check("ann", "QwertyUIOP"))
                .hasMessageStartingWith("password is one of the most common passwords");
        assertThatThrownBy(() -> policy.check("annabelle-x", "Annabelle-X"))
                .hasMessage("password is the user's name; choose another");
    }

    @Test
    void refusesWhatBcryptWouldCutAtSeventyTwoBytes() {
        assertThatCode(() -> policy.check("ann", "a1".repeat(36))).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check("ann", "a1".repeat(36) + "b"))
                .hasMessage(
                        "password is 73 bytes long in UTF-8; use at most 72 (bcrypt ignores the"
                                + " rest)");
    }
}
