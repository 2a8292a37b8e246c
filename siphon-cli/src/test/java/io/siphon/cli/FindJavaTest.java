package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/find-java.sh}, which {@code ./siphon}, {@code ./mvnw} and CI source to pick a JDK 21+:
 * run by bash with a controlled environment, as a user's shell would.
 */
class FindJavaTest {

    private static final Path SCRIPT = repositoryRoot().resolve("bin/find-java.sh");

    /** The JDK running this test: 21 or newer, since the build requires it. */
    private static final Path CURRENT_JDK = Path.of(System.getProperty("java.home"));

    @TempDir Path temp;

    @Test
    void findsAJdk21InTheJvmFolderWhenJavaHomeIsAnOldJdk() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("jvm"));
        Path oldJdk = fakeJdk(temp.resolve("old-jdk"), "17");
        Files.createSymbolicLink(jvmDir.resolve("temurin-21"), CURRENT_JDK);

        Result result =
                findJava(
                        Map.of(
                                "JAVA_HOME",
                                oldJdk.toString(),
                                "SIPHON_JVM_DIR",
                                jvmDir.toString()));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(jvmDir.resolve("temurin-21") + "\n");
    }

    @Test
    void findsAJdk21InTheJvmFolderWithoutJavaHome() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("jvm"));
        Files.createSymbolicLink(jvmDir.resolve("jdk-21"), CURRENT_JDK);

        Result result = findJava(Map.of("SIPHON_JVM_DIR", jvmDir.toString()));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(jvmDir.resolve("jdk-21") + "\n");
    }

    @Test
    void searchesUsrLibJvmByDefault() throws Exception {
        Path usrLibJvm = Path.of("/usr/lib/jvm");
        assumeTrue(
                CURRENT_JDK.toRealPath().startsWith(usrLibJvm),
                "this machine's JDK 21+ is not under /usr/lib/jvm");
        Path oldJdk = fakeJdk(temp.resolve("old-jdk"), "17");

        Result result = findJava(Map.of("JAVA_HOME", oldJdk.toString()));

        assertThat(result.exitCode()).isZero();
        assertThat(Path.of(result.stdout().strip()).getParent()).isEqualTo(usrLibJvm);
    }

    @Test
    void prefersTheNewestJdkOfTheJvmFolder() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("jvm"));
        fakeJdk(jvmDir.resolve("java-17-openjdk"), "17");
        fakeJdk(jvmDir.resolve("temurin-25-jdk"), "25");
        fakeJdk(jvmDir.resolve("temurin-21-jdk"), "21");

        Result result = findJava(Map.of("SIPHON_JVM_DIR", jvmDir.toString()));

        assertThat(result.stdout()).isEqualTo(jvmDir.resolve("temurin-25-jdk") + "\n");
    }

    @Test
    void readsTheVersionFromTheJdksReleaseFileWithoutStartingItsJava() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("jvm"));
        // Its java would say 17: the release file must be what decides, so no JVM is started.
        Path jdk = fakeJdk(jvmDir.resolve("jdk-21"), "17");
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"21.0.5\"\n");

        Result result = findJava(Map.of("SIPHON_JVM_DIR", jvmDir.toString()));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(jdk + "\n");
    }

    @Test
    void saysWhatToInstallWhenNoJdkQualifies() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("empty-jvm"));
        Path oldJdk = fakeJdk(temp.resolve("old-jdk"), "17");

        Result result =
                findJava(
                        Map.of(
                                "JAVA_HOME",
                                oldJdk.toString(),
                                "SIPHON_JVM_DIR",
                                jvmDir.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr())
                .isEqualTo(
                        "Siphon needs a JDK 21 or newer and found none.\n"
                                + "Looked at: $JAVA_HOME ("
                                + oldJdk
                                + "), "
                                + jvmDir
                                + "/*, and the java on PATH.\n"
                                + "Install one (for example the Debian package openjdk-21-jdk,"
                                + " or a Temurin 21/25 JDK)\n"
                                + "and either put it under "
                                + jvmDir
                                + " or set JAVA_HOME to its folder.\n");
    }

    @Test
    void aJavaRuntimeWithoutJavacIsEnoughToRunButNotToBuild() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("jre-only"));
        Path jre = fakeJdk(jvmDir.resolve("temurin-21-jre"), "21");
        Files.delete(jre.resolve("bin/javac"));
        Map<String, String> env = Map.of("SIPHON_JVM_DIR", jvmDir.toString());

        Result run = findJava(env, "runtime");
        Result build = findJava(env, "");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo(jre + "\n");
        assertThat(build.exitCode()).isEqualTo(1);
        assertThat(build.stderr()).startsWith("Siphon needs a JDK 21 or newer and found none.\n");
    }

    @Test
    void anOldRuntimeIsNotEnoughToRunEither() throws Exception {
        Path jvmDir = Files.createDirectories(temp.resolve("old-jre"));
        Path jre = fakeJdk(jvmDir.resolve("java-17-jre"), "17");
        Files.delete(jre.resolve("bin/javac"));

        Result run = findJava(Map.of("SIPHON_JVM_DIR", jvmDir.toString()), "runtime");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr())
                .startsWith("Siphon needs a Java runtime (or JDK) 21 or newer and found none.\n");
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private Result findJava(Map<String, String> env) throws Exception {
        return findJava(env, "");
    }

    /**
     * Sources the script in a clean bash and prints the JAVA_HOME it chose. PATH holds only the
     * tools the script uses, so no java of this machine can be found by accident.
     */
    private Result findJava(Map<String, String> env, String argument) throws Exception {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        for (String tool : List.of("ls", "sort", "sed", "head", "dirname", "readlink")) {
            Path link = bin.resolve(tool);
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, which(tool));
            }
        }
        ProcessBuilder pb =
                new ProcessBuilder(
                        which("bash").toString(),
                        "--noprofile",
                        "--norc",
                        "-c",
                        "set -u; . \"$1\" && siphon_find_java $2 && echo \"$JAVA_HOME\"",
                        "find-java-test",
                        SCRIPT.toString(),
                        argument);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().putAll(env);
        pb.redirectOutput(temp.resolve("out.txt").toFile());
        pb.redirectError(temp.resolve("err.txt").toFile());
        Process process = pb.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(),
                Files.readString(temp.resolve("out.txt")),
                Files.readString(temp.resolve("err.txt")));
    }

    /** A folder that looks like a JDK of the given version to the script. */
    private static Path fakeJdk(Path home, String major) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(
                java, "#!/bin/sh\necho '    java.specification.version = " + major + "' >&2\n");
        Files.writeString(bin.resolve("javac"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        bin.resolve("javac").toFile().setExecutable(true);
        return home;
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(tool + " not found in /usr/bin or /bin");
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("bin/find-java.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the Siphon repository");
        }
        return dir;
    }
}
