package io.siphon.engine.spec;

import io.siphon.model.TableId;
import io.siphon.spi.Config;
import java.io.Serializable;

/**
 * Where a pipeline writes.
 *
 * @param type the connector type
 * @param config the connector's validated options; {@code toString()} hides secrets
 * @param tableRule the target name of each source table, with {@code {schema}} and {@code {table}}
 *     placeholders, for example {@code analytics.{table}}
 */
public record SinkSpec(String type, Config config, String tableRule) implements Serializable {

    /** The target name of a source table under {@link #tableRule()}. */
    public TableId targetOf(TableId source) {
        String name =
                tableRule
                        .replace("{schema}", quoteForRule(source.schema()))
                        .replace("{table}", quoteForRule(source.table()));
        return TableId.parse(name, source.schema());
    }

    private static String quoteForRule(String identifier) {
        // Quote so that dots and quotes inside a name survive the re-parse.
        return TableId.quote(identifier);
    }
}
