package io.siphon.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}: where a command keeps its state (chunk progress, offsets) and its log. */
final class StateDirOption {

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = ".siphon",
            description =
                    "Folder for the run's state (finished chunks, so a rerun resumes) and its log,"
                            + " siphon.log (default: ${DEFAULT-VALUE})")
    Path path;
}
