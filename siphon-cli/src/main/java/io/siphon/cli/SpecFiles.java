package io.siphon.cli;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The files that client commands send to the server: pipeline specs and connection options. */
final class SpecFiles {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private SpecFiles() {}

    /**
     * A file's text.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when it cannot be read
     */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "cannot read "
                            + file
                            + " ("
                            + e.getClass().getSimpleName()
                            + "); check the path",
                    e);
        }
    }

    /** The media type of a spec file: JSON for {@code .json}, else YAML. */
    static String mediaType(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? "application/json"
                : "application/yaml";
    }

    /**
     * A YAML (or JSON, which is YAML too) file's top-level mapping.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_SYNTAX} when it is not a mapping
     */
    static JsonNode mapping(Path file) {
        JsonNode node;
        try {
            node = YAML.readTree(read(file));
        } catch (JacksonException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    file + " is not valid YAML: " + e.getOriginalMessage(),
                    e);
        }
        if (node == null || !node.isObject()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_SYNTAX,
                    file + " must hold a mapping of keys to values, such as 'type: postgres'");
        }
        return node;
    }
}
