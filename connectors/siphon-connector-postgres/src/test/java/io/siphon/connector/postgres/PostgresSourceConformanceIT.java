package io.siphon.connector.postgres;

import io.siphon.embedded.EmbeddedServer;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.testkit.conformance.SourceConformanceSuite;
import io.siphon.testkit.conformance.TypeMatrix;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL connector passes the source conformance suite. */
class PostgresSourceConformanceIT extends SourceConformanceSuite {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @Override
    protected EmbeddedServer server() {
        return PG.server();
    }

    @Override
    protected String createDatabase(String prefix) {
        return PG.server().createDatabase(prefix);
    }

    @Override
    protected Connector connector(String database) {
        return PostgresConformance.connector(PG.server(), database);
    }

    @Override
    protected String schemaOf(String database) {
        return "public";
    }

    @Override
    protected String nativeType(DataType type) {
        return PostgresConformance.nativeType(type);
    }

    @Override
    protected TypeMatrix typeMatrix(String database) {
        return new TypeMatrix(
                PostgresTypeMatrix.TABLE,
                PostgresTypeMatrix.sourceStatements(),
                PostgresTypeMatrix.ROWS);
    }

    @Override
    protected List<String> keylessTableSetup(TableId table) {
        return List.of("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    }
}
