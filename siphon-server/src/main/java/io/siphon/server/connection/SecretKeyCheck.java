package io.siphon.server.connection;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Warns at start when stored connection secrets do not decrypt with this server's key (a lost key
 * file, another {@code SIPHON_SECRET_KEY}): the server still starts, but those connections fail
 * when used until the right key is back or their secrets are entered again.
 */
@Component
class SecretKeyCheck implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SecretKeyCheck.class);

    private final ConnectionStore store;

    SecretKeyCheck(ConnectionStore store) {
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> unreadable = store.unreadable();
        if (!unreadable.isEmpty()) {
            LOG.warn(
                    "The secrets of {} connection(s) {} do not decrypt with this server's key;"
                            + " start with the key they were saved with (SIPHON_SECRET_KEY or the"
                            + " data directory's secret.key), or enter their secrets again",
                    unreadable.size(),
                    unreadable);
        }
    }
}
