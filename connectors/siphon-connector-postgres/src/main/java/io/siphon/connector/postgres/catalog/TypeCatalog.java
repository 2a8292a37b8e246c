package io.siphon.connector.postgres.catalog;

import io.siphon.connector.postgres.types.CompositeJson;
import io.siphon.connector.postgres.types.PgTextDecoders;
import io.siphon.connector.postgres.types.PgType;
import io.siphon.connector.postgres.types.PgTypeMapping;
import io.siphon.connector.postgres.types.TextDecoder;
import io.siphon.model.DataType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Types by oid, as the change stream meets them in relation messages: each read from the catalog
 * once (with every type it refers to) and kept for the life of the stream, together with what the
 * stream derives from it: the portable type and native type of a column, and the decoder of its
 * text form. Enum, domain, composite and array types are looked up like any other.
 *
 * <p>Used by the one reader thread of a stream; not thread-safe.
 */
public final class TypeCatalog {

    private static final String COMPOSITE_FIELDS =
            "SELECT a.attname, a.atttypid FROM pg_catalog.pg_type t"
                    + " JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid"
                    + " WHERE t.oid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    private final Connection connection;
    private final Map<Long, PgType> types = new HashMap<>();
    private final Map<Long, String[]> streamNames = new HashMap<>();
    private final Map<Long, CompositeJson.Composite> composites = new HashMap<>();
    private final Map<TypeAndModifier, String> nativeTypes = new HashMap<>();

    private record TypeAndModifier(long oid, int typmod) {}

    /** A catalog that reads through a connection opened by the stream (and closed by it). */
    public TypeCatalog(Connection connection) {
        this.connection = connection;
    }

    /**
     * Notes the name the stream gave a type (pgoutput's type message), for a type that is gone from
     * the catalog by the time it is looked up.
     */
    public void rememberName(long oid, String schema, String name) {
        streamNames.put(oid, new String[] {schema.isEmpty() ? "pg_catalog" : schema, name});
    }

    /** Reads the types not read yet among these (and what they refer to) in one query. */
    public void load(Collection<Long> oids) throws SQLException {
        Set<Long> missing = new HashSet<>();
        for (long oid : oids) {
            if (!types.containsKey(oid)) {
                missing.add(oid);
            }
        }
        if (!missing.isEmpty()) {
            types.putAll(TableCatalog.types(connection, missing));
        }
    }

    /**
     * The type with an oid. A type dropped since the change was made becomes a base type of the
     * name the stream gave it, so it maps to {@link DataType.OtherType} and its values are carried
     * as text.
     */
    public PgType type(long oid) throws SQLException {
        PgType known = types.get(oid);
        if (known != null) {
            return known;
        }
        types.putAll(TableCatalog.types(connection, Set.of(oid)));
        known = types.get(oid);
        if (known == null) {
            String[] name = streamNames.getOrDefault(oid, new String[] {"unknown", "type_" + oid});
            known = new PgType(oid, name[0], name[1], 'b', 'U', 0, 0, -1, List.of());
            types.put(oid, known);
        }
        return known;
    }

    /** The portable type of a column of this type and modifier. */
    public DataType dataType(long oid, int typmod) throws SQLException {
        return PgTypeMapping.toDataType(type(oid), typmod, types);
    }

    /**
     * The column's type as {@link TableCatalog#describe} writes it ({@code format_type}, domains
     * replaced by their base type).
     */
    public String nativeType(long oid, int typmod) throws SQLException {
        TypeAndModifier key = new TypeAndModifier(oid, typmod);
        String cached = nativeTypes.get(key);
        if (cached != null) {
            return cached;
        }
        PgType type = type(oid);
        String formatted;
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT pg_catalog.format_type(?::oid, ?)")) {
            ps.setLong(1, oid);
            ps.setInt(2, typmod);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                formatted = rs.getString(1);
            }
        }
        String nativeType = TableCatalog.nativeType(connection, type, typmod, formatted, types);
        nativeTypes.put(key, nativeType);
        return nativeType;
    }

    /**
     * The decoder of the text form of a column of this type: {@link PgTextDecoders#forType} of its
     * portable type, except for {@code money} (and arrays of it) and composite types, whose text
     * form their portable type does not describe.
     */
    public TextDecoder textDecoder(long oid, int typmod) throws SQLException {
        PgType base = withoutDomains(type(oid));
        if (isMoney(base)) {
            return PgTextDecoders.money();
        }
        if (base.isArray() && isMoney(withoutDomains(type(base.elementOid())))) {
            return PgTextDecoders.arrayOf(PgTextDecoders.money(), ',');
        }
        if (base.kind() == 'c') {
            return CompositeJson.decoder(composite(base.oid()));
        }
        return PgTextDecoders.forType(dataType(oid, typmod));
    }

    private static boolean isMoney(PgType type) {
        return type.builtIn() && type.name().equals("money");
    }

    private PgType withoutDomains(PgType type) throws SQLException {
        PgType t = type;
        while (t.kind() == 'd') {
            t = type(t.baseOid());
        }
        return t;
    }

    /** How {@code to_json} writes a composite type's values, field by field. */
    private CompositeJson.Composite composite(long oid) throws SQLException {
        CompositeJson.Composite cached = composites.get(oid);
        if (cached != null) {
            return cached;
        }
        List<String> names = new ArrayList<>();
        List<Long> fieldTypes = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(COMPOSITE_FIELDS)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    fieldTypes.add(rs.getLong(2));
                }
            }
        }
        List<CompositeJson.Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            fields.add(new CompositeJson.Field(names.get(i), jsonForm(fieldTypes.get(i))));
        }
        CompositeJson.Composite composite = new CompositeJson.Composite(fields);
        composites.put(oid, composite);
        return composite;
    }

    /** The JSON category {@code to_json} gives a type (domains as their base type). */
    private CompositeJson.JsonForm jsonForm(long oid) throws SQLException {
        PgType t = withoutDomains(type(oid));
        if (t.isArray()) {
            PgType element = withoutDomains(type(t.elementOid()));
            char delimiter = element.builtIn() && element.name().equals("box") ? ';' : ',';
            return new CompositeJson.Array(jsonForm(element.oid()), delimiter);
        }
        if (t.kind() == 'c') {
            return composite(t.oid());
        }
        if (!t.builtIn()) {
            return new CompositeJson.Text();
        }
        return switch (t.name()) {
            case "bool" -> new CompositeJson.Bool();
            case "int2", "int4", "int8", "float4", "float8", "numeric" ->
                    new CompositeJson.Numeric();
            case "date" -> new CompositeJson.Date();
            case "timestamp" -> new CompositeJson.Timestamp();
            case "timestamptz" -> new CompositeJson.TimestampTz();
            case "json", "jsonb" -> new CompositeJson.Json();
            default -> new CompositeJson.Text();
        };
    }
}
