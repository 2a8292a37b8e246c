/**
 * The JDBC dialect layer: one {@link io.siphon.connector.support.jdbc.TypeMapper} per family of
 * systems (the PostgreSQL one in {@code postgres}), with read and write mappings.
 */
package io.siphon.connector.support.jdbc;
