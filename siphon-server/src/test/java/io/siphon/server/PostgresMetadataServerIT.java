package io.siphon.server;

import io.siphon.embedded.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The API suite with the metadata store in PostgreSQL: the same migrations, the same answers. */
class PostgresMetadataServerIT extends ServerApiSuite {

    private String metadataDb;

    @Override
    ServerSettings settings(Path dataDir) {
        if (metadataDb == null) {
            metadataDb = target.createDatabase("siphon_meta");
        }
        return ServerSettings.defaults(dataDir)
                .withMetadata(target.jdbcUrl(metadataDb), PostgresServer.USER, "");
    }

    @Override
    String metadataContent() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = target.connect(metadataDb);
                Statement s = c.createStatement()) {
            for (String table :
                    new String[] {
                        "siphon_user",
                        "siphon_api_token",
                        "siphon_connection",
                        "siphon_pipeline",
                        "siphon_pipeline_run",
                        "siphon_audit"
                    }) {
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString() + filesUnder(dataDir);
    }
}
