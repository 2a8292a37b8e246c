package io.siphon.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.OptionsTable;
import io.siphon.spi.StandardOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/pipeline-spec.md must show exactly the keys, types and defaults the parser uses. */
class PipelineSpecDocTest {

    private static final Path DOC = Path.of("..", "docs", "pipeline-spec.md");

    @Test
    void documentsEveryTopLevelKey() throws Exception {
        assertThat(Files.readString(DOC)).contains(OptionsTable.markdown(SpecOptions.TOP_LEVEL));
    }

    @Test
    void documentsTheSharedSourceKeys() throws Exception {
        assertThat(Files.readString(DOC))
                .contains(
                        OptionsTable.markdown(
                                List.of(
                                        SpecOptions.TYPE,
                                        StandardOptions.TABLES,
                                        StandardOptions.EXCLUDE_TABLES)));
    }

    @Test
    void documentsTheSinkKeys() throws Exception {
        assertThat(Files.readString(DOC))
                .contains(OptionsTable.markdown(List.of(SpecOptions.TYPE, SpecOptions.SINK_TABLE)));
    }
}
