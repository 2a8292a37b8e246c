package io.siphon.connector.opensearch;

import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The index of each target table: the sink's {@code index} rule with {@code {schema}} and {@code
 * {table}} filled in, lower-cased (OpenSearch index names are). Pure.
 */
final class IndexNames {

    private static final String FORBIDDEN = "\\/*?\"<>| ,#:";

    private IndexNames() {}

    /**
     * The index of a target table.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when the name is not one
     *     OpenSearch accepts, saying why
     */
    static String of(String rule, TableId target) {
        String name =
                rule.replace("{schema}", target.schema() == null ? "" : target.schema())
                        .replace("{table}", target.table())
                        .toLowerCase(Locale.ROOT);
        String problem = null;
        for (char c : name.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0) {
                problem = "it holds '" + c + "'";
                break;
            }
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            problem = "it is empty or a dot";
        } else if ("_-+".indexOf(name.charAt(0)) >= 0) {
            problem = "it starts with '" + name.charAt(0) + "'";
        } else if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            problem = "it is longer than 255 bytes";
        }
        if (problem != null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "Table "
                            + target
                            + " would go to index '"
                            + name
                            + "', which OpenSearch refuses because "
                            + problem
                            + "; set the sink's index rule (index: \""
                            + rule
                            + "\") to a name without \\ / * ? \" < > | space , # :, not starting"
                            + " with _ - +");
        }
        return name;
    }
}
