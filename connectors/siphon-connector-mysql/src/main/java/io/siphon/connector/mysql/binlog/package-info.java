/**
 * Change data capture from the MySQL/MariaDB binary log: the stream ({@link
 * io.siphon.connector.mysql.binlog.BinlogChangeStream}), its offsets (file, position, GTID set),
 * the decoding of row images into model values, and the schema history kept from the log's DDL.
 */
package io.siphon.connector.mysql.binlog;
