package io.siphon.testkit.pg;

import io.siphon.embedded.PostgresServer;

/**
 * A source database set up the way a careful DBA does it: the tables belong to an application role
 * ({@code app}, which owns schema {@code shop} and the publication {@code siphon_pub}), and Siphon
 * logs in as {@code siphon}, which is not a superuser, owns nothing, and has only {@code
 * REPLICATION}, {@code USAGE} on the schema and {@code SELECT} on the tables.
 */
public final class NonSuperuserSource {

    /** The role Siphon logs in as. */
    public static final String SIPHON = "siphon";

    /** The publication the table owner created for Siphon. */
    public static final String PUBLICATION = "siphon_pub";

    private NonSuperuserSource() {}

    /**
     * Creates a database with schema {@code shop} owned by {@code app}, runs {@code ownerSql} as
     * {@code app} (tables, rows, the publication), and grants {@code siphon} what it needs to read
     * them. The roles are created once per server.
     */
    public static String create(PostgresServer server, String prefix, String... ownerSql) {
        String db = server.createDatabase(prefix);
        server.execute(
                "postgres",
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN"
                        + " CREATE ROLE app LOGIN; END IF; IF NOT EXISTS (SELECT FROM pg_roles"
                        + " WHERE rolname = 'siphon') THEN CREATE ROLE siphon LOGIN REPLICATION;"
                        + " END IF; END $$");
        String[] sql = new String[ownerSql.length + 5];
        sql[0] = "GRANT CREATE ON DATABASE " + db + " TO app";
        sql[1] = "CREATE SCHEMA shop AUTHORIZATION app";
        sql[2] = "SET ROLE app";
        System.arraycopy(ownerSql, 0, sql, 3, ownerSql.length);
        sql[ownerSql.length + 3] = "GRANT USAGE ON SCHEMA shop TO siphon";
        sql[ownerSql.length + 4] = "GRANT SELECT ON ALL TABLES IN SCHEMA shop TO siphon";
        server.execute(db, sql);
        return db;
    }

    /** Runs SQL as the table owner {@code app}. */
    public static void asOwner(PostgresServer server, String db, String... sql) {
        String[] all = new String[sql.length + 1];
        all[0] = "SET ROLE app";
        System.arraycopy(sql, 0, all, 1, sql.length);
        server.execute(db, all);
    }
}
