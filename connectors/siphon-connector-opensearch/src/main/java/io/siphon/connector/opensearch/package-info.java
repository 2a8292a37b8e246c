/**
 * The {@code opensearch} connector: a sink that keeps one OpenSearch index per table equal to it,
 * documents keyed by the row's key. See {@code docs/connectors/opensearch.md}.
 */
package io.siphon.connector.opensearch;
