package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.OptionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/connectors/kafka.md must show exactly the options and types the connector has. */
class KafkaDocsTest {

    private static final Path DOC = Path.of("..", "..", "docs", "connectors", "kafka.md");

    @Test
    void documentsEveryOptionAsTheCodeDeclaresIt() throws Exception {
        assertThat(Files.readString(DOC)).contains(OptionsTable.markdown(KafkaOptions.ALL));
    }

    @Test
    void documentsTheEncodingOfEveryModelType() throws Exception {
        String doc = Files.readString(DOC);
        for (Class<?> type : io.siphon.model.DataType.class.getPermittedSubclasses()) {
            assertThat(doc).contains("`" + type.getSimpleName());
        }
    }
}
