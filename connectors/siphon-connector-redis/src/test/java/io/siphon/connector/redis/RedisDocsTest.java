package io.siphon.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.DataType;
import io.siphon.spi.OptionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/connectors/redis.md must show the options as declared and every type's encoding. */
class RedisDocsTest {

    private static final Path DOC = Path.of("..", "..", "docs", "connectors", "redis.md");

    @Test
    void documentsEveryOptionAsTheCodeDeclaresIt() throws Exception {
        assertThat(Files.readString(DOC)).contains(OptionsTable.markdown(RedisOptions.ALL));
    }

    @Test
    void documentsTheEncodingOfEveryPortableType() throws Exception {
        String doc = Files.readString(DOC);
        for (Class<?> type : DataType.class.getPermittedSubclasses()) {
            assertThat(doc).contains("`" + type.getSimpleName() + "`");
        }
    }
}
