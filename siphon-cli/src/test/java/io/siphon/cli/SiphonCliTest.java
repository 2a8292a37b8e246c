package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
                    {"bench", "idle-pg", "--help"},
                    {"server", "--help"}
                }) {
            CliOutcome outcome = siphon(command);

            assertThat(outcome.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(outcome.out()).startsWith("Usage: siphon");
        }
    }

    @Test
    void helpListsEveryCommandWhileARunBuildsOnlyItsOwn() {
        assertThat(siphon("--help").out())
                .contains(
                        "  run ",
                        "  validate ",
                        "  demo ",
                        "  bench ",
                        "  server ",
                        "  pipelines ",
                        "  tokens ",
                        "  help ");
        assertThat(siphon("help").out()).contains("  setup-sql ", "  users ");

        // Picocli builds the model of every command it is given: a start pays only for its own.
        assertThat(SiphonCli.commandLine("status", "pipe.yaml").getSubcommands().keySet())
                .containsExactly("status");
        assertThat(SiphonCli.commandLine("--version").getSubcommands()).isEmpty();
        assertThat(SiphonCli.commandLine("--help").getSubcommands()).hasSize(17);
    }

    @Test
    void everyClientCommandHasHelp() {
        for (String group : List.of("connections", "pipelines", "users", "tokens")) {
            CommandLine commandLine = SiphonCli.commandLine(group).getSubcommands().get(group);
            for (String command : commandLine.getSubcommands().keySet()) {
                CliOutcome outcome = siphon(group, command, "--help");

                assertThat(outcome.exitCode()).as(group + " " + command).isZero();
                assertThat(outcome.out()).startsWith("Usage: siphon " + group + " " + command);
            }
        }
        assertThat(siphon("login", "--help").out()).startsWith("Usage: siphon login");
        assertThat(siphon("logout", "--help").out()).startsWith("Usage: siphon logout");
    }

    @Test
    void aClientCommandGroupNeedsASubcommand() {
        CliOutcome outcome = siphon("pipelines");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err())
                .startsWith("Missing required subcommand\nUsage: siphon pipelines");
    }

    @Test
    void aMisspeltCommandExitsWith2AndSuggestsTheRightOne() {
        CliOutcome outcome = siphon("runn", "pipeline.yaml");

        assertThat(outcome.exitCode()).isEqualTo(2);
        // The right command comes first; picocli may add others that share letters with the typo.
        assertThat(outcome.err())
                .startsWith(
                        "Unmatched arguments from index 0: 'runn', 'pipeline.yaml'\n"
                                + "Did you mean: siphon run")
                .endsWith("?\n");
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
