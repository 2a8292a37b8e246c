package io.siphon.engine.state;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The text form of a pipeline's schema history: the schema of each source table as of the stored
 * stream position (see {@link StateStore#saveOffset(String, String, String, Map)}).
 * Connector-neutral: it holds {@link TableSchema}s of the change model only.
 *
 * <p>The schemas are written with Java serialization (the same form Jet ships them in between
 * members), in Base64. Reading accepts only the change model's classes and the JDK value types its
 * columns hold; a history that cannot be read (written by an incompatible version) reads as none,
 * and the pipeline then starts as one without history does, from the source's current catalog.
 */
final class SchemaHistory {

    private static final ObjectInputFilter MODEL_ONLY =
            ObjectInputFilter.Config.createFilter(
                    "maxdepth=32;io.siphon.model.**;java.lang.*;java.util.*;java.math.*;"
                            + "java.time.*;!*");

    private SchemaHistory() {}

    static String encode(Map<TableId, TableSchema> schemas) {
        return write(new ArrayList<>(schemas.values()));
    }

    /** The schemas of {@link #encode} text; empty when the text cannot be read. */
    static Optional<Map<TableId, TableSchema>> decode(String text) {
        return read(
                text,
                o -> {
                    Map<TableId, TableSchema> out = new LinkedHashMap<>();
                    for (Object each : (List<?>) o) {
                        TableSchema schema = (TableSchema) each;
                        out.put(schema.id(), schema);
                    }
                    return Map.copyOf(out);
                });
    }

    /** The text form of the source's table marks stored with the schema history. */
    static String encodeMarks(Map<TableId, String> marks) {
        return write(new LinkedHashMap<>(marks));
    }

    /** The marks of {@link #encodeMarks} text; empty when the text cannot be read. */
    static Optional<Map<TableId, String>> decodeMarks(String text) {
        return read(
                text,
                o -> {
                    Map<TableId, String> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                        out.put((TableId) e.getKey(), (String) e.getValue());
                    }
                    return Map.copyOf(out);
                });
    }

    private static String write(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a schema history", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static <T> Optional<T> read(String text, Function<Object, T> convert) {
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
            in.setObjectInputFilter(MODEL_ONLY);
            return Optional.of(convert.apply(in.readObject()));
        } catch (IOException
                | ClassNotFoundException
                | ClassCastException
                | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
