package io.siphon.connector.postgres.types;

import io.siphon.model.TableId;
import java.util.List;

/**
 * A type as {@code pg_type} describes it: the facts {@link PgTypeMapping} needs to choose a {@link
 * io.siphon.model.DataType}.
 *
 * @param oid the type's oid
 * @param schema its schema
 * @param name its name in {@code pg_type} ({@code int4}, {@code _int4} for arrays, {@code mood})
 * @param kind {@code typtype}: b(ase), c(omposite), d(omain), e(num), p(seudo), r(ange),
 *     m(ultirange)
 * @param category {@code typcategory}; {@code A} for arrays
 * @param elementOid {@code typelem}: the element type of an array, else 0
 * @param baseOid {@code typbasetype}: the type a domain is based on, else 0
 * @param domainTypmod {@code typtypmod}: the type modifier a domain applies to its base, or -1
 * @param enumLabels the labels of an enum in their order, else empty
 */
public record PgType(
        long oid,
        String schema,
        String name,
        char kind,
        char category,
        long elementOid,
        long baseOid,
        int domainTypmod,
        List<String> enumLabels) {

    /** Copies the labels. */
    public PgType {
        enumLabels = List.copyOf(enumLabels);
    }

    /** Whether this is one of PostgreSQL's own types. */
    public boolean builtIn() {
        return "pg_catalog".equals(schema);
    }

    /**
     * Whether this is a true array type. {@code int2vector} and {@code oidvector} are in the array
     * category but have their own text form, so they count as scalars.
     */
    public boolean isArray() {
        return category == 'A'
                && elementOid != 0
                && !(builtIn() && (name.equals("int2vector") || name.equals("oidvector")));
    }

    /**
     * The name to show and to recreate the type with: the bare name for built-in types, {@code
     * schema.name} (quoted where needed) for others.
     */
    public String qualifiedName() {
        if (builtIn()) {
            return name.equals("char") ? "\"char\"" : name;
        }
        return TableId.of(schema, name).toString();
    }
}
