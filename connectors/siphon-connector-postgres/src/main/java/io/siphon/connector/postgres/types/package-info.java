/**
 * The one mapping between PostgreSQL types and Siphon data types, the binary decoders of the
 * snapshot hot path and the COPY text encoder of the sink.
 */
package io.siphon.connector.postgres.types;
