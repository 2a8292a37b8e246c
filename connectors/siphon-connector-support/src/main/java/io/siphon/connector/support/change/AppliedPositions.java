package io.siphon.connector.support.change;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.TableId;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exactly-once sink writer has applied per target table, in memory: the last change ({@link
 * ChangeOrder}) committed at the target, read once per table through the writer's own bookkeeping
 * table, or applied since in its open transaction. It decides which changes of a replay are new,
 * and keeps the places its transaction has not recorded yet, which the writer writes into its
 * bookkeeping table just before it commits. The SQL is the writer's; this is the logic every
 * transactional sink shares. Used by one writer thread.
 */
public final class AppliedPositions {

    /** Reads the committed place of a table from the target; null when nothing is recorded. */
    @FunctionalInterface
    public interface Committed {
        /** The committed place of {@code table}, or null. */
        ChangeOrder read(TableId table) throws SQLException;
    }

    private final Committed committed;
    private final Map<TableId, ChangeOrder> applied = new HashMap<>();
    private final Map<TableId, ChangeOrder> unrecorded = new LinkedHashMap<>();

    /** Positions read through {@code committed} on first use of each table. */
    public AppliedPositions(Committed committed) {
        this.committed = committed;
    }

    /**
     * The place of the last change applied to a table: committed, or pending in the open
     * transaction; null when none.
     */
    public ChangeOrder applied(TableId table) throws SQLException {
        if (!applied.containsKey(table)) {
            applied.put(table, committed.read(table));
        }
        return applied.get(table);
    }

    /**
     * The changes after the table's applied place, in their order (changes without a place are
     * always new), and notes the last of them as applied in the open transaction.
     */
    public List<ChangeEvent> fresh(TableId table, List<ChangeEvent> changes) throws SQLException {
        ChangeOrder done = applied(table);
        ChangeOrder last = null;
        List<ChangeEvent> fresh = new ArrayList<>(changes.size());
        for (ChangeEvent change : changes) {
            ChangeOrder order = change.meta().order();
            if (order == null || done == null || order.isAfter(done)) {
                fresh.add(change);
                if (order != null && (last == null || order.isAfter(last))) {
                    last = order;
                }
            }
        }
        if (last != null) {
            applied.put(table, last);
            unrecorded.put(table, last);
        }
        return fresh;
    }

    /**
     * The places applied in the open transaction and not recorded yet, in the order their tables
     * were first applied; the writer records them and then calls {@link #recorded()}.
     */
    public Map<TableId, ChangeOrder> unrecorded() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(unrecorded));
    }

    /** Notes that {@link #unrecorded()} is written into the open transaction. */
    public void recorded() {
        unrecorded.clear();
    }

    /** Forgets what was noted in a transaction that was rolled back. */
    public void rolledBack() {
        applied.clear();
        unrecorded.clear();
    }
}
