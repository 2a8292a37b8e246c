package io.siphon.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.Option;
import io.siphon.spi.OptionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/connectors/mysql.md must show exactly the options the connector accepts. */
class MySqlDocsTest {

    private static final Path DOC = Path.of("..", "..", "docs", "connectors", "mysql.md");

    @Test
    void documentsEveryOptionAsTheCodeDeclaresIt() throws Exception {
        assertThat(Files.readString(DOC)).contains(OptionsTable.markdown(MySqlOptions.ALL));
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
                .containsExactlyElementsOf(MySqlOptions.ALL.stream().map(Option::name).toList());
    }

    @Test
    void documentsTheSinkTypeMappingOfEveryPortableType() throws Exception {
        String doc = Files.readString(DOC);
        for (Class<?> type : io.siphon.model.DataType.class.getPermittedSubclasses()) {
            assertThat(doc).contains("`" + type.getSimpleName());
        }
    }
}
