package io.siphon.cli.demo;

import io.siphon.connector.opensearch.OpenSearchConnector;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.verify.Comparison;

/**
 * Compares a source table with its copy in OpenSearch: every row of the source, read through the
 * source connector's snapshot, must be a document of the table's index, field for field as the
 * OpenSearch sink decodes it back, and the index must hold no other document ({@link CopyCheck}).
 */
public final class OpenSearchCopyCheck {

    private OpenSearchCopyCheck() {}

    /**
     * Compares a source table with the documents of its target's index.
     *
     * @param source a connector to the source (with a snapshot source)
     * @param table the source table
     * @param opensearch the OpenSearch sink's connector
     * @param target the table's target name
     */
    public static Comparison compare(
            Connector source, TableId table, OpenSearchConnector opensearch, TableId target) {
        return CopyCheck.compare(source, table, "OpenSearch", target, opensearch::rows);
    }
}
