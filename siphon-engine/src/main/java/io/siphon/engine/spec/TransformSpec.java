package io.siphon.engine.spec;

import io.siphon.spi.Config;
import java.io.Serializable;
import java.util.Objects;

/**
 * One operator of a pipeline's {@code transforms} list, as written. The operator itself is rebuilt
 * from its configuration wherever it runs (a {@link io.siphon.spi.transform.Transform} is never
 * shipped).
 *
 * @param name the step's name in messages and per-step schemas: {@code #1}, {@code #2}... in the
 *     order written
 * @param type the operator type, for example {@code filter}
 * @param config the operator's options, validated against its factory's options
 */
public record TransformSpec(String name, String type, Config config) implements Serializable {

    /** Checks the parts. */
    public TransformSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
    }
}
