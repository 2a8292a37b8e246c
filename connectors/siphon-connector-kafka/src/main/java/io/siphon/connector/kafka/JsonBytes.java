package io.siphon.connector.kafka;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/** JSON written straight to bytes with a generator, and the schema field every struct lists. */
final class JsonBytes {

    /** What writes one JSON value. */
    interface Body {
        void write(JsonGenerator g);
    }

    private JsonBytes() {}

    /** The bytes of the JSON value the body writes. */
    static byte[] of(JsonMapper json, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.createGenerator(out)) {
            body.write(g);
        }
        return out.toByteArray();
    }

    /** A struct field of a primitive type without a schema name, as JsonConverter writes it. */
    static void field(JsonGenerator g, String type, boolean optional, String name) {
        g.writeStartObject();
        g.writeStringProperty("type", type);
        g.writeBooleanProperty("optional", optional);
        g.writeStringProperty("field", name);
        g.writeEndObject();
    }
}
