/**
 * Durable state of pipelines: runs, planned snapshot chunks and which of them are done. Kept in an
 * embedded H2 database file under the state directory, so a crashed run resumes where it was.
 */
package io.siphon.engine.state;
