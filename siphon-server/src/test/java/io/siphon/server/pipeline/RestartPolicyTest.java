package io.siphon.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.OptionsTable;
import io.siphon.spi.SiphonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void aRestartBlockReadsWithDefaults() {
        assertThat(RestartPolicy.of(Map.of("policy", "on-failure")))
                .isEqualTo(new RestartPolicy(true, Duration.ofSeconds(30), 3));
        assertThat(RestartPolicy.of(Map.of("delay", "5s", "max-attempts", 7)))
                .isEqualTo(new RestartPolicy(false, Duration.ofSeconds(5), 7));
    }

    @Test
    void everyBadKeyOrValueIsNamed() {
        assertThatThrownBy(() -> RestartPolicy.of(Map.of("policy", "always", "dealy", "1s")))
                .isInstanceOf(SiphonException.class)
                .satisfies(
                        e -> {
                            assertThat(((SiphonException) e).code())
                                    .isIn(
                                            ErrorCode.CONFIG_INVALID_VALUE,
                                            ErrorCode.CONFIG_UNKNOWN_KEY);
                            assertThat(e.getMessage().lines())
                                    .hasSize(2)
                                    .anySatisfy(l -> assertThat(l).startsWith("restart.policy: "))
                                    .anySatisfy(
                                            l ->
                                                    assertThat(l)
                                                            .isEqualTo(
                                                                    "restart.dealy: unknown key"
                                                                            + " 'dealy': did you mean"
                                                                            + " 'delay'?"));
                        });
    }

    @Test
    void theSpecReferenceDocumentsTheRestartBlock() throws Exception {
        assertThat(Files.readString(Path.of("..", "docs", "pipeline-spec.md")))
                .contains(OptionsTable.markdown(RestartPolicy.OPTIONS));
    }
}
