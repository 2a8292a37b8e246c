package io.siphon.connector.mysql;

/**
 * Which member of the family a server is: they agree on the SQL Siphon writes except for a few
 * types and collations, which the type mapping picks by this.
 */
public enum ServerFlavor {
    /** MariaDB: {@code JSON} as checked text, {@code utf8mb4_nopad_bin}. */
    MARIADB,
    /** Oracle MySQL 8: binary {@code JSON}, {@code utf8mb4_0900_bin}. */
    MYSQL;

    /** The flavor of a server, from its version string ({@code 11.4.5-MariaDB-log}). */
    public static ServerFlavor ofVersion(String version) {
        return version != null && version.contains("MariaDB") ? MARIADB : MYSQL;
    }

    /**
     * The collation of string columns Siphon creates: binary and without padding, so that keys
     * compare as PostgreSQL's do ({@code 'a'}, {@code 'A'} and {@code 'a '} are three keys).
     */
    public String binaryCollation() {
        return switch (this) {
            case MARIADB -> "utf8mb4_nopad_bin";
            case MYSQL -> "utf8mb4_0900_bin";
        };
    }
}
