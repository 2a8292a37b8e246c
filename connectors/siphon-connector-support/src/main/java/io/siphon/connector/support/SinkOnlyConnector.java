package io.siphon.connector.support;

import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.StreamSource;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import java.util.List;

/**
 * A connector that only writes (a log, a cache, a search index): it has no tables to discover and
 * no snapshot or stream to read, and says so in one way whichever side a spec puts it on.
 */
public interface SinkOnlyConnector extends Connector {

    /** The connector's {@code type} as a spec writes it, for messages: {@code kafka}. */
    String type();

    /** A sink only has no catalog of source tables: nothing to discover. */
    @Override
    default List<TableSchema> discover(TableFilter filter) {
        return List.of();
    }

    @Override
    default SnapshotSource snapshotSource() {
        throw new SiphonException(ErrorCode.CAPABILITY_MISSING, notASource());
    }

    @Override
    default StreamSource streamSource() {
        throw new SiphonException(ErrorCode.CAPABILITY_MISSING, notASource());
    }

    /**
     * The problem of using the connector other than as a sink, for {@link #check}.
     *
     * @return the problem, or none for {@link Usage#SINK}
     */
    default List<Problem> usageProblems(Usage usage) {
        return usage == Usage.SINK
                ? List.of()
                : List.of(
                        new Problem(
                                ErrorCode.CAPABILITY_MISSING,
                                notASource(),
                                "Use "
                                        + type()
                                        + " under sink:, with another connector as the"
                                        + " source"));
    }

    private String notASource() {
        return "The " + type() + " connector is a sink only, not a source";
    }
}
