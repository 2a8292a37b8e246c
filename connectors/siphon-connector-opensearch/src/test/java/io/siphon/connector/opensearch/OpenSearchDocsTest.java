package io.siphon.connector.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.OptionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/connectors/opensearch.md must show exactly the options the connector accepts. */
class OpenSearchDocsTest {

    private static final Path DOC = Path.of("..", "..", "docs", "connectors", "opensearch.md");

    @Test
    void documentsEveryOptionAsTheCodeDeclaresIt() throws Exception {
        assertThat(Files.readString(DOC)).contains(OptionsTable.markdown(OpenSearchOptions.ALL));
    }
}
