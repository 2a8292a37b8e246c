package io.siphon.spi;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders options as a Markdown table for the docs. Docs pages embed the rendered table and a test
 * checks that they still match the code.
 */
public final class OptionsTable {

    private OptionsTable() {}

    /** The table: key, type, default, required, description; secrets are marked. */
    public static String markdown(List<Option<?>> options) {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | required | description |\n");
        out.append("|---|---|---|---|---|\n");
        for (Option<?> o : options) {
            out.append("| `")
                    .append(o.name())
                    .append("` | ")
                    .append(typeName(o))
                    .append(" | ")
                    .append(defaultText(o))
                    .append(" | ")
                    .append(o.required() ? "yes" : "no")
                    .append(" | ")
                    .append(o.description().replace("|", "\\|"))
                    .append(o.sensitive() ? " (secret: never logged or shown)" : "")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String typeName(Option<?> o) {
        return switch (o.kind()) {
            case STRING -> "text";
            case INTEGER, LONG -> "number";
            case BOOLEAN -> "boolean";
            case DURATION -> "duration";
            case STRING_LIST -> "list of text";
            case CHOICE -> String.join(" \\| ", o.choices());
            case STRING_MAP -> "map of text";
        };
    }

    private static String defaultText(Option<?> o) {
        Object d = o.defaultValue();
        if (d == null) {
            return "";
        }
        if (d instanceof List<?> l) {
            return l.isEmpty()
                    ? ""
                    : l.stream().map(Object::toString).collect(Collectors.joining(", ", "`", "`"));
        }
        if (d instanceof java.util.Map<?, ?> m && m.isEmpty()) {
            return "";
        }
        if (d instanceof Duration duration) {
            return "`" + duration.toMillis() + "ms`";
        }
        return "`" + d + "`";
    }
}
