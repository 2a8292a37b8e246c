/**
 * The change model shared by every part of Siphon: table identifiers, schemas, the portable type
 * system ({@link io.siphon.model.DataType}), rows and batches of rows, and the sealed family of
 * {@link io.siphon.model.ChangeEvent}s. It depends on nothing but the JDK.
 */
package io.siphon.model;
