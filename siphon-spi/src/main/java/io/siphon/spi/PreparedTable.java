package io.siphon.spi;

import io.siphon.model.TableSchema;

/**
 * A target table that is ready to be written.
 *
 * @param schema the target table: its id and the columns that will be written, in the order rows
 *     carry them, with its key
 * @param created whether it was created just now
 * @param empty whether it held no rows when it was prepared
 */
public record PreparedTable(TableSchema schema, boolean created, boolean empty) {}
