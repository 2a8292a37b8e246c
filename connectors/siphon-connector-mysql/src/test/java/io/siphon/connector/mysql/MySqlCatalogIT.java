package io.siphon.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import io.siphon.testkit.mariadb.MariaDbExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Discovery from information_schema and the errors of a connection, on a real MariaDB 11.4. */
class MySqlCatalogIT {

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Test
    void discoversColumnsTypesAndKeysWithDatabasesAsSchemas() {
        String db = MARIADB.server().createDatabase("catalog");
        MARIADB.server()
                .execute(
                        db,
                        "CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL, line SMALLINT NOT NULL,"
                                + " flag TINYINT(1), small TINYINT, n INT UNSIGNED,"
                                + " price DECIMAL(12,4), f FLOAT, d DOUBLE, code CHAR(3),"
                                + " name VARCHAR(40) NOT NULL, note TEXT, raw VARBINARY(16),"
                                + " blob_ LONGBLOB, day DATE, t TIME(3), wall DATETIME(6),"
                                + " instant TIMESTAMP(6) NULL, doc JSON, state ENUM('new','it''s'),"
                                + " id2 UUID, total INT AS (line * 2) VIRTUAL,"
                                + " PRIMARY KEY (id, line))",
                        "CREATE TABLE notes (body TEXT)",
                        "CREATE VIEW v AS SELECT 1 AS one");
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), db)) {
            List<TableSchema> all = c.discover(TableFilter.of(List.of(db + ".*"), List.of()));
            assertThat(all)
                    .extracting(TableSchema::id)
                    .containsExactly(TableId.of(db, "notes"), TableId.of(db, "orders"));
            TableSchema orders = all.get(1);
            assertThat(orders.primaryKey()).containsExactly("id", "line");
            assertThat(orders.columns().stream().map(Column::type).toList())
                    .containsExactly(
                            new DataType.UInt64(),
                            new DataType.Int16(),
                            new DataType.BooleanType(),
                            new DataType.Int16(),
                            new DataType.Int64(),
                            new DataType.DecimalType(12, 4),
                            new DataType.Float32(),
                            new DataType.Float64(),
                            new DataType.StringType(3, true),
                            new DataType.StringType(40, false),
                            DataType.StringType.unbounded(),
                            new DataType.BinaryType(16),
                            new DataType.BinaryType(DataType.UNBOUNDED),
                            new DataType.DateType(),
                            new DataType.DurationType(3),
                            new DataType.TimestampType(6),
                            new DataType.TimestampTzType(6),
                            new DataType.JsonType(false),
                            new DataType.EnumType("enum('new','it''s')", List.of("new", "it's")),
                            new DataType.UuidType(),
                            new DataType.Int32());
            assertThat(orders.column("name").nullable()).isFalse();
            assertThat(orders.column("note").nullable()).isTrue();
            assertThat(orders.column("id").nativeType()).isEqualTo("bigint(20) unsigned");
            assertThat(orders.column("total").generatedExpression()).isEqualTo("`line` * 2");
            // A name without a database means the URL's database.
            assertThat(c.discover(TableFilter.of(List.of("notes"), List.of())))
                    .extracting(TableSchema::id)
                    .containsExactly(TableId.of(db, "notes"));
        }
    }

    @Test
    void refusedPasswordIsAnAuthenticationFailure() {
        String db = MARIADB.server().createDatabase("auth");
        MARIADB.server()
                .execute(
                        db,
                        "CREATE USER 'alice'@'%' IDENTIFIED BY 'right'",
                        "GRANT ALL ON *.* TO 'alice'@'%'");
        try (Connector c =
                MariaDbConnectors.connector(
                        MARIADB.server(), db, Map.of("user", "alice", "password", "wrong"))) {
            assertThat(c.check(Usage.SINK, TableFilter.of(List.of("*"), List.of())))
                    .singleElement()
                    .satisfies(p -> assertThat(p.code()).isEqualTo(ErrorCode.AUTH_FAILED))
                    .satisfies(p -> assertThat(p.message()).contains("refused user 'alice'"));
        }
    }

    @Test
    void unknownDatabaseSaysHowToCreateIt() {
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), "no_such_db")) {
            assertThatThrownBy(() -> c.discover(TableFilter.of(List.of("*"), List.of())))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE))
                    .hasMessageContaining("CREATE DATABASE `no_such_db`");
        }
    }

    @Test
    void databaseTheUserMayNotUseIsAPermissionProblem() {
        String db = MARIADB.server().createDatabase("private");
        MARIADB.server().execute(db, "CREATE USER 'bob'@'127.0.0.1' IDENTIFIED BY 'pw'");
        try (Connector c =
                MariaDbConnectors.connector(
                        MARIADB.server(), db, Map.of("user", "bob", "password", "pw"))) {
            assertThatThrownBy(() -> c.discover(TableFilter.of(List.of("*"), List.of())))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e ->
                                    assertThat(e.code())
                                            .as(e.getMessage())
                                            .isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("GRANT");
        }
    }

    @Test
    void hostThatDoesNotResolveIsNamedAsADnsFailure() {
        Map<String, String> options = Map.of("url", "jdbc:mysql://no-such-host.invalid:3306/db");
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), "x", options)) {
            assertThatThrownBy(() -> c.discover(TableFilter.of(List.of("*"), List.of())))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                    .hasMessageContaining("does not resolve");
        }
    }

    @Test
    void closedPortIsUnreachable() {
        Map<String, String> options = Map.of("url", "jdbc:mariadb://127.0.0.1:1/db");
        try (Connector c = MariaDbConnectors.connector(MARIADB.server(), "x", options)) {
            assertThatThrownBy(() -> c.discover(TableFilter.of(List.of("*"), List.of())))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                    .hasMessageContaining("Cannot connect to MySQL at 127.0.0.1:1");
        }
    }
}
