package io.siphon.connector.kafka;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableSchema;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Writes Kafka Connect schemas as {@code JsonConverter} writes them ({@code type}, {@code fields},
 * {@code optional}, {@code name}, {@code version}, {@code doc}, {@code parameters}, {@code
 * default}, {@code field}), with the type of each column chosen as Debezium chooses it for the same
 * column under the {@link Encoding}'s modes. {@link ConnectValues} writes the matching values.
 */
final class ConnectSchemas {

    /** Debezium's schema names and versions of its semantic types. */
    private record Semantic(String name, int version, Map<String, String> parameters, String doc) {

        Semantic(String name) {
            this(name, 1, Map.of(), null);
        }
    }

    private final Encoding encoding;

    ConnectSchemas(Encoding encoding) {
        this.encoding = encoding;
    }

    /** A struct of the columns, named {@code name}; {@code field} names it in its parent. */
    void struct(
            JsonGenerator g,
            List<Column> columns,
            List<String> key,
            boolean optional,
            String name,
            Integer version,
            String field) {
        g.writeStartObject();
        g.writeStringProperty("type", "struct");
        g.writeName("fields");
        g.writeStartArray();
        for (Column c : columns) {
            column(g, c, c.nullable() && !key.contains(c.name()));
        }
        g.writeEndArray();
        g.writeBooleanProperty("optional", optional);
        g.writeStringProperty("name", name);
        if (version != null) {
            g.writeNumberProperty("version", version);
        }
        if (field != null) {
            g.writeStringProperty("field", field);
        }
        g.writeEndObject();
    }

    /** The struct of a table's key columns, as Debezium's record key. */
    void key(JsonGenerator g, TableSchema table, String name) {
        List<Column> keyColumns =
                table.primaryKey().stream()
                        .map(k -> table.columns().get(table.indexOf(k)))
                        .toList();
        struct(g, keyColumns, table.primaryKey(), false, name, null, null);
    }

    private void column(JsonGenerator g, Column c, boolean optional) {
        type(g, c.type(), optional, c.name());
    }

    private void type(JsonGenerator g, DataType type, boolean optional, String field) {
        switch (type) {
            case DataType.BooleanType t -> primitive(g, "boolean", optional, null, field);
            case DataType.Int16 t -> primitive(g, "int16", optional, null, field);
            case DataType.Int32 t -> primitive(g, "int32", optional, null, field);
            case DataType.Int64 t -> primitive(g, "int64", optional, null, field);
            case DataType.UInt64 t -> decimal(g, 20, 0, optional, field);
            case DataType.DecimalType d -> decimal(g, d.precision(), d.scale(), optional, field);
            case DataType.Float32 t -> primitive(g, "float", optional, null, field);
            case DataType.Float64 t -> primitive(g, "double", optional, null, field);
            case DataType.StringType t -> primitive(g, "string", optional, null, field);
            case DataType.BinaryType t -> primitive(g, "bytes", optional, null, field);
            case DataType.DateType t ->
                    primitive(
                            g,
                            "int32",
                            optional,
                            encoding.times() == Encoding.Times.CONNECT
                                    ? new Semantic(SemanticType.CONNECT_DATE.schemaName)
                                    : new Semantic(SemanticType.DATE.schemaName),
                            field);
            case DataType.TimeType t -> time(g, t.precision(), optional, field);
            case DataType.DurationType t ->
                    primitive(
                            g,
                            "int64",
                            optional,
                            new Semantic(SemanticType.MICRO_TIME.schemaName),
                            field);
            case DataType.YearType t ->
                    primitive(
                            g,
                            "int32",
                            optional,
                            new Semantic(SemanticType.YEAR.schemaName),
                            field);
            case DataType.TimestampType t -> timestamp(g, t.precision(), optional, field);
            case DataType.TimestampTzType t ->
                    primitive(
                            g,
                            "string",
                            optional,
                            new Semantic(SemanticType.ZONED_TIMESTAMP.schemaName),
                            field);
            case DataType.IntervalType t ->
                    primitive(
                            g,
                            "int64",
                            optional,
                            new Semantic(SemanticType.MICRO_DURATION.schemaName),
                            field);
            case DataType.UuidType t ->
                    primitive(
                            g,
                            "string",
                            optional,
                            new Semantic(SemanticType.UUID.schemaName),
                            field);
            case DataType.JsonType t ->
                    primitive(
                            g,
                            "string",
                            optional,
                            new Semantic(SemanticType.JSON.schemaName),
                            field);
            case DataType.ArrayType a -> {
                g.writeStartObject();
                g.writeStringProperty("type", "array");
                g.writeName("items");
                type(g, a.element(), true, null);
                g.writeBooleanProperty("optional", optional);
                if (field != null) {
                    g.writeStringProperty("field", field);
                }
                g.writeEndObject();
            }
            case DataType.EnumType e ->
                    primitive(
                            g,
                            "string",
                            optional,
                            new Semantic(
                                    SemanticType.ENUM.schemaName,
                                    1,
                                    Map.of("allowed", String.join(",", e.values())),
                                    null),
                            field);
            case DataType.SetType s ->
                    primitive(
                            g,
                            "string",
                            optional,
                            new Semantic(
                                    SemanticType.ENUM_SET.schemaName,
                                    1,
                                    Map.of("allowed", String.join(",", s.values())),
                                    null),
                            field);
            case DataType.BitType b -> {
                if (b.length() == 1 && !b.varying()) {
                    primitive(g, "boolean", optional, null, field);
                } else {
                    primitive(
                            g,
                            "bytes",
                            optional,
                            new Semantic(
                                    SemanticType.BITS.schemaName,
                                    1,
                                    Map.of("length", Integer.toString(b.length())),
                                    null),
                            field);
                }
            }
            case DataType.GeometryType t -> primitive(g, "string", optional, null, field);
            case DataType.OtherType t -> primitive(g, "string", optional, null, field);
        }
    }

    private void decimal(
            JsonGenerator g, int precision, int scale, boolean optional, String field) {
        switch (encoding.decimals()) {
            case DOUBLE -> primitive(g, "double", optional, null, field);
            case STRING -> primitive(g, "string", optional, null, field);
            case PRECISE -> {
                if (precision == DataType.UNBOUNDED) {
                    g.writeStartObject();
                    g.writeStringProperty("type", "struct");
                    g.writeName("fields");
                    g.writeStartArray();
                    primitive(g, "int32", false, null, "scale");
                    primitive(g, "bytes", false, null, "value");
                    g.writeEndArray();
                    g.writeBooleanProperty("optional", optional);
                    g.writeStringProperty("name", SemanticType.VARIABLE_SCALE_DECIMAL.schemaName);
                    g.writeNumberProperty("version", 1);
                    g.writeStringProperty("doc", "Variable scaled decimal");
                    if (field != null) {
                        g.writeStringProperty("field", field);
                    }
                    g.writeEndObject();
                } else {
                    primitive(
                            g,
                            "bytes",
                            optional,
                            new Semantic(
                                    SemanticType.DECIMAL.schemaName,
                                    1,
                                    Map.of(
                                            "scale",
                                            Integer.toString(scale),
                                            "connect.decimal.precision",
                                            Integer.toString(precision)),
                                    null),
                            field);
                }
            }
        }
    }

    private void time(JsonGenerator g, int precision, boolean optional, String field) {
        if (encoding.times() == Encoding.Times.CONNECT) {
            primitive(
                    g,
                    "int32",
                    optional,
                    new Semantic(SemanticType.CONNECT_TIME.schemaName),
                    field);
        } else if (precision >= 0 && precision <= 3) {
            primitive(g, "int32", optional, new Semantic(SemanticType.TIME.schemaName), field);
        } else {
            primitive(
                    g, "int64", optional, new Semantic(SemanticType.MICRO_TIME.schemaName), field);
        }
    }

    private void timestamp(JsonGenerator g, int precision, boolean optional, String field) {
        if (encoding.times() == Encoding.Times.CONNECT) {
            primitive(
                    g,
                    "int64",
                    optional,
                    new Semantic(SemanticType.CONNECT_TIMESTAMP.schemaName),
                    field);
        } else if (precision >= 0 && precision <= 3) {
            primitive(g, "int64", optional, new Semantic(SemanticType.TIMESTAMP.schemaName), field);
        } else {
            primitive(
                    g,
                    "int64",
                    optional,
                    new Semantic(SemanticType.MICRO_TIMESTAMP.schemaName),
                    field);
        }
    }

    /** A schema of a primitive type, with the semantic type's name, version and parameters. */
    private static void primitive(
            JsonGenerator g, String type, boolean optional, Semantic semantic, String field) {
        g.writeStartObject();
        g.writeStringProperty("type", type);
        g.writeBooleanProperty("optional", optional);
        if (semantic != null) {
            g.writeStringProperty("name", semantic.name());
            g.writeNumberProperty("version", semantic.version());
            if (semantic.doc() != null) {
                g.writeStringProperty("doc", semantic.doc());
            }
            if (!semantic.parameters().isEmpty()) {
                g.writeName("parameters");
                g.writeStartObject();
                for (Map.Entry<String, String> p : semantic.parameters().entrySet()) {
                    g.writeStringProperty(p.getKey(), p.getValue());
                }
                g.writeEndObject();
            }
        }
        if (field != null) {
            g.writeStringProperty("field", field);
        }
        g.writeEndObject();
    }
}
