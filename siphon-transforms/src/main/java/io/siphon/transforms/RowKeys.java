package io.siphon.transforms;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.util.StringJoiner;

/** How a row is named in error messages: by its key, never by its other values. */
public final class RowKeys {

    private RowKeys() {}

    /** {@code key id=5, region=eu}, or {@code no key} for a table without one. */
    public static String describe(TableSchema schema, Row row) {
        if (!schema.hasPrimaryKey()) {
            return "no key (table " + schema.id() + " has no primary key)";
        }
        StringJoiner out = new StringJoiner(", ", "key ", "");
        for (String k : schema.primaryKey()) {
            out.add(k + "=" + row.get(schema.indexOf(k)));
        }
        return out.toString();
    }
}
