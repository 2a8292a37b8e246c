package io.siphon.cli;

import io.siphon.cli.terminal.Units;
import io.siphon.engine.spec.PipelineSpec;

/** The one line that says what a pipeline does, printed before it runs. */
final class PipelineHeadline {

    private PipelineHeadline() {}

    /** {@code Pipeline demo-shop: postgres -> postgres, snapshot, parallelism 4, ...}. */
    static String of(PipelineSpec spec) {
        return "Pipeline "
                + spec.name()
                + ": "
                + spec.source().type()
                + " -> "
                + spec.sink().type()
                + ", "
                + spec.mode().text()
                + ", parallelism "
                + spec.parallelism()
                + ", "
                + Units.count(spec.chunkRows())
                + " rows per chunk";
    }
}
