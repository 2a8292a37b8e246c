package io.siphon.cli.client;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line's JSON mappers, each made on first use: picocli creates every command object at
 * start, so a mapper held by a command would make {@code siphon --version} pay for Jackson's
 * start-up too.
 */
public final class JsonMappers {

    private JsonMappers() {}

    /** Writes compact JSON. */
    public static JsonMapper compact() {
        return Compact.MAPPER;
    }

    /** Writes indented JSON, for people and for files they may open. */
    public static JsonMapper indented() {
        return Indented.MAPPER;
    }

    private static final class Compact {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private static final class Indented {
        static final JsonMapper MAPPER =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }
}
