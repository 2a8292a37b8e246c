package io.siphon.connector.kafka;

import io.siphon.model.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The named Kafka Connect and Debezium types of the envelope, one table for both directions: the
 * schema name {@link ConnectSchemas} writes for a model type, and the model type the source reads a
 * column of that name back as ({@link #readType}). The values of each are written by {@link
 * ConnectValues} and read by {@link RecordDecoder}; a type read back here decodes exactly what the
 * sink wrote for it (a time read as precision 3 is in milliseconds, as 6 in microseconds).
 */
enum SemanticType {
    DECIMAL("org.apache.kafka.connect.data.Decimal"),
    VARIABLE_SCALE_DECIMAL("io.debezium.data.VariableScaleDecimal"),
    CONNECT_DATE("org.apache.kafka.connect.data.Date"),
    DATE("io.debezium.time.Date"),
    CONNECT_TIME("org.apache.kafka.connect.data.Time"),
    TIME("io.debezium.time.Time"),
    MICRO_TIME("io.debezium.time.MicroTime"),
    CONNECT_TIMESTAMP("org.apache.kafka.connect.data.Timestamp"),
    TIMESTAMP("io.debezium.time.Timestamp"),
    MICRO_TIMESTAMP("io.debezium.time.MicroTimestamp"),
    ZONED_TIMESTAMP("io.debezium.time.ZonedTimestamp"),
    MICRO_DURATION("io.debezium.time.MicroDuration"),
    YEAR("io.debezium.time.Year"),
    UUID("io.debezium.data.Uuid"),
    JSON("io.debezium.data.Json"),
    ENUM("io.debezium.data.Enum"),
    ENUM_SET("io.debezium.data.EnumSet"),
    BITS("io.debezium.data.Bits");

    private static final Map<String, SemanticType> BY_NAME =
            Arrays.stream(values())
                    .collect(Collectors.toMap(t -> t.schemaName, Function.identity()));

    /** The schema's {@code name} in the envelope. */
    final String schemaName;

    SemanticType(String schemaName) {
        this.schemaName = schemaName;
    }

    /** The type of a schema name; empty for a name this table does not know. */
    static Optional<SemanticType> named(String schemaName) {
        return Optional.ofNullable(BY_NAME.get(schemaName));
    }

    /**
     * The model type a column of this schema reads back as. Lengths, a time's exact precision below
     * its unit, an enum's type name and whether bits vary are not in the envelope: text and bytes
     * read unbounded, times by their unit (milliseconds as precision 3, microseconds as 6).
     *
     * @param parameters the schema's {@code parameters}
     * @throws IllegalArgumentException when a parameter the type needs is missing
     */
    DataType readType(Map<String, String> parameters) {
        return switch (this) {
            case DECIMAL ->
                    new DataType.DecimalType(
                            Integer.parseInt(required(parameters, "connect.decimal.precision")),
                            Integer.parseInt(required(parameters, "scale")));
            case VARIABLE_SCALE_DECIMAL ->
                    new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED);
            case CONNECT_DATE, DATE -> new DataType.DateType();
            case CONNECT_TIME, TIME -> new DataType.TimeType(3);
            case MICRO_TIME -> new DataType.TimeType(6);
            case CONNECT_TIMESTAMP, TIMESTAMP -> new DataType.TimestampType(3);
            case MICRO_TIMESTAMP -> new DataType.TimestampType(6);
            case ZONED_TIMESTAMP -> new DataType.TimestampTzType(DataType.UNBOUNDED);
            case MICRO_DURATION -> new DataType.IntervalType();
            case YEAR -> new DataType.YearType();
            case UUID -> new DataType.UuidType();
            case JSON -> new DataType.JsonType(false);
            case ENUM -> new DataType.EnumType(null, labels(parameters));
            case ENUM_SET -> new DataType.SetType(labels(parameters));
            case BITS ->
                    new DataType.BitType(Integer.parseInt(required(parameters, "length")), false);
        };
    }

    private static List<String> labels(Map<String, String> parameters) {
        String allowed = required(parameters, "allowed");
        return allowed.isEmpty() ? List.of() : List.of(allowed.split(","));
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing");
        }
        return value;
    }
}
