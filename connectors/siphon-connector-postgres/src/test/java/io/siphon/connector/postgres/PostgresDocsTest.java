package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.Option;
import io.siphon.spi.OptionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/connectors/postgres.md must show exactly the options the connector accepts. */
class PostgresDocsTest {

    private static final Path DOC = Path.of("..", "..", "docs", "connectors", "postgres.md");

    @Test
    void documentsEveryOptionAsTheCodeDeclaresIt() throws Exception {
        assertThat(Files.readString(DOC)).contains(OptionsTable.markdown(PostgresOptions.ALL));
    }

    @Test
    void documentsEveryOptionRowAndNoOther() throws Exception {
        List<String> documentedKeys =
                Files.readString(DOC)
                        .lines()
                        .dropWhile(l -> !l.equals("## Options"))
                        .dropWhile(l -> !l.startsWith("| key |"))
                        .skip(2)
                        .takeWhile(l -> l.startsWith("| `"))
                        .map(l -> l.substring(3, l.indexOf('`', 3)))
                        .toList();
        assertThat(documentedKeys)
                .containsExactlyElementsOf(PostgresOptions.ALL.stream().map(Option::name).toList());
    }

    @Test
    void documentsTheTypesOfTheTypeMatrix() throws Exception {
        String doc = Files.readString(DOC);
        for (String type :
                List.of(
                        "money",
                        "timetz",
                        "jsonb",
                        "enum types",
                        "domains",
                        "composite types",
                        "multiranges",
                        "polygon",
                        "pg_lsn",
                        "bytea",
                        "interval")) {
            assertThat(doc).contains(type);
        }
    }
}
