package io.siphon.server.pipeline;

import io.siphon.engine.SiphonEngine;
import io.siphon.server.ServerSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine of the server: an embedded Jet member whose state store (stream positions, snapshot
 * chunks) lives in the data directory, beside the embedded metadata store.
 */
@Configuration
class EngineConfig {

    @Bean(destroyMethod = "close")
    SiphonEngine engine(ServerSettings settings) {
        return SiphonEngine.start(settings.dataDir(), "--data-dir");
    }
}
