package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SiphonCliTest {

    @Test
    void versionComesFromTheBuild() {
        CliOutcome outcome = siphon("--version");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).isEqualTo("siphon " + SiphonVersion.version() + "\n");
        assertThat(SiphonVersion.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command :
                new String[][] {
                    {"--help"},
                    {"run", "--help"},
                    {"validate", "--help"},
                    {"status", "--help"},
                    {"drop", "--help"},
                    {"demo", "--help"},
                    {"bench", "--help"},
                    {"bench", "snapshot-pg", "--help"},
                    {"bench", "cdc-pg", "--help"},
                    {"server", "--help"}
                }) {
            CliOutcome outcome = siphon(command);

            assertThat(outcome.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(outcome.out()).startsWith("Usage: siphon");
        }
    }

    @Test
    void aMisspeltCommandExitsWith2AndSuggestsTheRightOne() {
        CliOutcome outcome = siphon("runn", "pipeline.yaml");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err())
                .isEqualTo(
                        "Unmatched arguments from index 0: 'runn', 'pipeline.yaml'\n"
                                + "Did you mean: siphon run?\n");
    }

    @Test
    void serverRefusesAnUnknownLogFormatAndAMetadataUserWithoutItsUrl() {
        CliOutcome format = siphon("server", "--log-format", "xml");
        CliOutcome user = siphon("server", "--metadata-user", "siphon");

        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).startsWith("--log-format must be text or json\n");
        assertThat(user.exitCode()).isEqualTo(2);
        assertThat(user.err()).startsWith("--metadata-user goes with --metadata-url\n");
    }

    @Test
    void demoRefusesTooFewRows() {
        CliOutcome outcome = siphon("demo", "--rows", "10");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("--rows must be at least 100\n");
    }
}
