package io.siphon.engine.spec;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}}, {@code ${env:NAME:-default}} and {@code ${file:path}} inside string
 * values, so that secrets stay out of spec files. A file path is taken relative to the spec's
 * folder; its content is used without a trailing newline. Resolved values are never logged. <code>
 * $${</code> stands for a literal <code>${</code>: the server escapes the values of stored
 * connections this way, since a password that looks like a reference is still only a password.
 */
final class References {

    /** Group 1 is set for the escape <code>$${</code>; otherwise groups 2-4 are a reference. */
    private static final Pattern REFERENCE =
            Pattern.compile("(\\$\\$\\{)|\\$\\{(env|file):([^}:]+)(?::-([^}]*))?}");

    /**
     * The text with every <code>${</code> escaped, so that {@link #resolve} gives it back
     * unchanged.
     */
    static String escape(String text) {
        return text.replace("${", "$${");
    }

    private final Function<String, String> env;
    private final Path baseDir;

    References(Function<String, String> env, Path baseDir) {
        this.env = env;
        this.baseDir = baseDir;
    }

    /** References that read the process environment. */
    static References system(Path baseDir) {
        Map<String, String> environment = System.getenv();
        return new References(environment::get, baseDir);
    }

    /**
     * References that are refused: for specs that arrive over the network, where {@code ${env:..}}
     * and {@code ${file:..}} would read the server's environment and files.
     */
    static References refused() {
        return new References(null, null);
    }

    /**
     * The text with every reference replaced.
     *
     * @param where "origin:line" for error messages
     * @param key the key whose value this is, for error messages
     */
    String resolve(String text, String where, String key) {
        Matcher m = REFERENCE.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        do {
            String value;
            if (m.group(1) != null) {
                value = "${";
            } else if (env == null) {
                throw new SiphonException(
                        ErrorCode.CONFIG_UNRESOLVED_REFERENCE,
                        where
                                + ": '"
                                + key
                                + "' uses "
                                + m.group()
                                + ", but a spec sent to the server cannot read the server's"
                                + " environment or files; put secrets in the connection instead");
            } else {
                value =
                        switch (m.group(2)) {
                            case "env" -> envValue(m.group(3), m.group(4), where, key);
                            default -> fileValue(m.group(3), where, key);
                        };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    private String envValue(String name, String fallback, String where, String key) {
        String value = env.apply(name);
        if (value != null) {
            return value;
        }
        if (fallback != null) {
            return fallback;
        }
        throw new SiphonException(
                ErrorCode.CONFIG_UNRESOLVED_REFERENCE,
                where
                        + ": '"
                        + key
                        + "' refers to environment variable "
                        + name
                        + ", which is not set; export it, or write ${env:"
                        + name
                        + ":-default}");
    }

    private String fileValue(String pathText, String where, String key) {
        Path path = baseDir.resolve(pathText.strip());
        try {
            String content = Files.readString(path, StandardCharsets.UTF_8);
            return content.endsWith("\n")
                    ? content.substring(0, content.length() - (content.endsWith("\r\n") ? 2 : 1))
                    : content;
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_UNRESOLVED_REFERENCE,
                    where
                            + ": '"
                            + key
                            + "' refers to file "
                            + path
                            + ", which cannot be read ("
                            + e.getClass().getSimpleName()
                            + "); check the path (relative paths start at the spec's folder)",
                    e);
        }
    }
}
