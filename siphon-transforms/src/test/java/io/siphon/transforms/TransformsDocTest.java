package io.siphon.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.OptionsTable;
import io.siphon.spi.transform.TransformFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** docs/transforms.md must show exactly the options each operator declares. */
class TransformsDocTest {

    private static final Path DOC = Path.of("..", "docs", "transforms.md");

    @Test
    void documentsEveryOperatorWithItsOptionsTable() throws Exception {
        String doc = Files.readString(DOC);
        for (TransformFactory f : ServiceLoader.load(TransformFactory.class)) {
            int section = doc.indexOf("### `" + f.type() + "`");
            assertThat(section).as("section of %s", f.type()).isNotNegative();
            int next = doc.indexOf("\n### ", section + 1);
            String body = next < 0 ? doc.substring(section) : doc.substring(section, next);
            assertThat(body)
                    .as("options of %s", f.type())
                    .contains(OptionsTable.markdown(f.options()));
        }
    }
}
