package io.siphon.server.user;

import io.siphon.server.ServerSettings;
import io.siphon.spi.SiphonException;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Creates the {@code admin} user at the first start: with the configured password, or a random one
 * that the caller shows once.
 */
@Component
public class AdminBootstrap implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final UserStore users;
    private final ServerSettings settings;
    private volatile String generated;

    AdminBootstrap(UserStore users, ServerSettings settings) {
        this.users = users;
        this.settings = settings;
    }

    @Override
    public void afterPropertiesSet() {
        if (users.any()) {
            return;
        }
        String password = settings.adminPassword();
        if (password == null || password.isEmpty()) {
            password = randomPassword();
            generated = password;
        }
        try {
            users.create("admin", password, Role.ADMIN);
        } catch (SiphonException e) {
            throw new SiphonException(
                    e.code(),
                    "the first admin's password (SIPHON_ADMIN_PASSWORD): " + e.getMessage());
        }
        LOG.info("Created the first user, admin");
    }

    /** The random password of the admin created by this start, if it made one. */
    public Optional<String> generatedPassword() {
        return Optional.ofNullable(generated);
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
