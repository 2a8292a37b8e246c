package io.siphon.connector.postgres;

import io.siphon.model.TableId;
import io.siphon.testkit.conformance.ConnectorUnderTest;
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
    protected ConnectorUnderTest underTest() {
        return new PostgresUnderTest(PG);
    }

    @Override
    protected TypeMatrix typeMatrix(String database) {
        return new TypeMatrix(
                PostgresTypeMatrix.TABLE,
                PostgresTypeMatrix.sourceStatements(),
                PostgresTypeMatrix.ROWS);
    }

    /** Keyless tables stream whole old rows only with the full replica identity. */
    @Override
    protected List<String> keylessTableSetup(TableId table) {
        return List.of("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    }
}
