package io.siphon.connector.support.schema;

import io.siphon.model.ChangeEvent.AddColumn;
import io.siphon.model.ChangeEvent.AlterColumnType;
import io.siphon.model.ChangeEvent.DropColumn;
import io.siphon.model.ChangeEvent.RenameColumn;
import io.siphon.model.ChangeEvent.SchemaChange;
import io.siphon.model.Column;
import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema changes that turn one column list of a table into another, for sources that see a
 * table's shape rather than its DDL (PostgreSQL relation messages, a catalog read on resume).
 *
 * <p>Differences become: a column present only in {@code to}, {@link AddColumn} (after the column
 * before it); a column only in {@code from}, {@link DropColumn}; a column with another type, {@link
 * AlterColumnType}; same column count, and at one position the same type under a new name that is
 * not used elsewhere and that the source's {@link RenameEvidence} confirms, {@link RenameColumn}.
 * Several DDL statements between two shapes are seen as one difference, so a rename together with
 * an added or dropped column arrives as a drop and an add. Pure: no database.
 */
public final class SchemaDiff {

    private SchemaDiff() {}

    /**
     * Whether the column {@code from} became the column {@code renamed}, found at the place after
     * the column now named {@code before} (null: the first place), by a rename, rather than being
     * dropped while {@code renamed} was added there: a relation message cannot tell the two apart.
     */
    @FunctionalInterface
    public interface RenameEvidence {
        boolean renamed(String from, String before, String renamed);
    }

    /** The changes that turn columns {@code from} into {@code to}; see the class docs. */
    public static List<SchemaChange> diff(
            TableId table,
            List<Column> from,
            List<Column> to,
            EventMeta meta,
            RenameEvidence evidence) {
        Set<String> fromNames = new HashSet<>();
        from.forEach(c -> fromNames.add(c.name()));
        Set<String> toNames = new HashSet<>();
        to.forEach(c -> toNames.add(c.name()));
        List<SchemaChange> out = new ArrayList<>();
        if (from.size() == to.size()
                && onlyRenamedInPlace(from, to, fromNames, toNames, evidence)) {
            for (int i = 0; i < from.size(); i++) {
                Column f = from.get(i);
                Column t = to.get(i);
                if (!f.name().equals(t.name())) {
                    out.add(new RenameColumn(table, f.name(), t.name(), meta));
                } else if (!f.type().equals(t.type())) {
                    out.add(new AlterColumnType(table, t, meta));
                }
            }
            return out;
        }
        for (Column f : from) {
            if (!toNames.contains(f.name())) {
                out.add(new DropColumn(table, f.name(), meta));
            }
        }
        Map<String, Column> fromByName = new HashMap<>();
        from.forEach(c -> fromByName.put(c.name(), c));
        for (int j = 0; j < to.size(); j++) {
            Column t = to.get(j);
            Column f = fromByName.get(t.name());
            if (f == null) {
                out.add(new AddColumn(table, t, j == 0 ? null : to.get(j - 1).name(), meta));
            } else if (!f.type().equals(t.type())) {
                out.add(new AlterColumnType(table, t, meta));
            }
        }
        return out;
    }

    /**
     * Whether every position holds the same column, or a column of the same type under a new name
     * that appears nowhere else.
     */
    private static boolean onlyRenamedInPlace(
            List<Column> from,
            List<Column> to,
            Set<String> fromNames,
            Set<String> toNames,
            RenameEvidence evidence) {
        for (int i = 0; i < from.size(); i++) {
            Column f = from.get(i);
            Column t = to.get(i);
            if (!f.name().equals(t.name())
                    && (!f.type().equals(t.type())
                            || toNames.contains(f.name())
                            || fromNames.contains(t.name())
                            || !evidence.renamed(
                                    f.name(), i == 0 ? null : to.get(i - 1).name(), t.name()))) {
                return false;
            }
        }
        return true;
    }
}
