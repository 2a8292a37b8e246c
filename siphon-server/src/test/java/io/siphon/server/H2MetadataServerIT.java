package io.siphon.server;

import java.nio.file.Path;

/** The API suite with the embedded H2 metadata store (the default). */
class H2MetadataServerIT extends ServerApiSuite {

    @Override
    ServerSettings settings(Path dataDir) {
        return ServerSettings.defaults(dataDir);
    }

    @Override
    String metadataContent() throws Exception {
        return filesUnder(dataDir);
    }
}
