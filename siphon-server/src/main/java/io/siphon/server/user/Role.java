package io.siphon.server.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Arrays;
import java.util.Locale;

/** What a user may do. Each role may do everything the roles below it may. */
public enum Role {
    /** Everything, including users and the audit log. */
    ADMIN,
    /** Connections and pipelines: create, change, start, stop, delete. */
    OPERATOR,
    /** Reads everything but users and the audit log; changes nothing. */
    VIEWER;

    /** The Spring Security authority of the role. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The name used in the API: {@code admin}, {@code operator}, {@code viewer}. */
    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an API name, in any case.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} naming the valid roles
     */
    @JsonCreator
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.apiName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return role;
            }
        }
        throw new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                "role '"
                        + text
                        + "' does not exist; use one of "
                        + Arrays.stream(values()).map(Role::apiName).toList());
    }
}
