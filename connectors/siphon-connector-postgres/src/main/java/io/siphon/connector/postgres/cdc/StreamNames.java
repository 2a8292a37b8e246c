package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The replication slot and publication a pipeline streams through. By default both are named after
 * the pipeline, {@code siphon_<pipeline>} in lower case with every character other than {@code
 * a-z}, {@code 0-9} and {@code _} replaced by {@code _}, cut to PostgreSQL's 63 bytes; the options
 * {@code slot-name} and {@code publication-name} name them explicitly.
 *
 * @param slot the replication slot
 * @param publication the publication
 * @param publicationConfigured whether the publication was named by the user (then {@link
 *     PgStreamSource#drop} leaves it alone: it may be theirs)
 */
public record StreamNames(String slot, String publication, boolean publicationConfigured) {

    /** What PostgreSQL accepts as a slot name; publications are held to the same rule. */
    private static final Pattern VALID = Pattern.compile("[a-z0-9_]{1,63}");

    private static final int MAX_NAME_BYTES = 63;

    /**
     * The names for a pipeline under a connector's configuration.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when a configured name is not
     *     a valid slot name
     */
    public static StreamNames of(String pipeline, Config config) {
        String derived = derived(pipeline);
        String slot = configured(config, PostgresOptions.SLOT_NAME, derived);
        String publication = configured(config, PostgresOptions.PUBLICATION_NAME, derived);
        return new StreamNames(slot, publication, config.has(PostgresOptions.PUBLICATION_NAME));
    }

    /** {@code siphon_<pipeline>}, sanitised. */
    static String derived(String pipeline) {
        String name = ("siphon_" + pipeline.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9_]", "_");
        return name.length() > MAX_NAME_BYTES ? name.substring(0, MAX_NAME_BYTES) : name;
    }

    private static String example(String name) {
        String sanitised = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (sanitised.isEmpty()) {
            return "siphon_slot";
        }
        return sanitised.length() > MAX_NAME_BYTES
                ? sanitised.substring(0, MAX_NAME_BYTES)
                : sanitised;
    }

    private static String configured(Config config, Option<String> option, String derived) {
        if (!config.has(option)) {
            return derived;
        }
        String name = config.get(option);
        if (!VALID.matcher(name).matches()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'"
                            + option.name()
                            + "' is '"
                            + name
                            + "' but must be 1 to 63 lower-case letters, digits or '_' (the rule"
                            + " for replication slot names), for example '"
                            + example(name)
                            + "'");
        }
        return name;
    }
}
