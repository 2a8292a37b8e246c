package io.siphon.connector.opensearch;

import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import org.eclipse.parsson.JsonProviderImpl;
import org.opensearch.client.json.JsonpDeserializer;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.json.JsonpMapperBase;
import org.opensearch.client.json.JsonpSerializable;

/**
 * The client's JSON mapper without an object-binding library: the sink sends and reads its own JSON
 * (written with Jackson 3) through the generic client, so the client's Jackson 2 and JSON-B mappers
 * are not needed; the transport only asks for a mapper to exist.
 */
final class PlainJsonpMapper extends JsonpMapperBase {

    private static final JsonProvider PROVIDER = new JsonProviderImpl();

    @Override
    public JsonProvider jsonProvider() {
        return PROVIDER;
    }

    @Override
    public <T> void serialize(T value, JsonGenerator generator) {
        if (value instanceof JsonpSerializable s) {
            s.serialize(generator, this);
            return;
        }
        throw new IllegalArgumentException(
                "cannot write a " + value.getClass().getName() + " as JSON without a binding");
    }

    @Override
    protected <T> JsonpDeserializer<T> getDefaultDeserializer(Class<T> clazz) {
        throw new IllegalArgumentException(
                "cannot read JSON into a " + clazz.getName() + " without a binding");
    }

    @Override
    public <T> JsonpMapper withAttribute(String name, T value) {
        return this;
    }
}
