package io.siphon.engine.spec;

import io.siphon.spi.Config;
import java.io.Serializable;

/**
 * Where a pipeline reads.
 *
 * @param type the connector type
 * @param config the connector's validated options; {@code toString()} hides secrets
 */
public record SourceSpec(String type, Config config) implements Serializable {}
