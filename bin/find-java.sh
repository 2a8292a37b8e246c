# Sourced by ./mvnw, ./siphon and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer, or with
# the argument `runtime` at a Java 21+ runtime that need not have javac (./siphon with a built jar).
# Order: $JAVA_HOME, then every JDK under $SIPHON_JVM_DIR (default /usr/lib/jvm, newest first),
# then `java` on the PATH. SIPHON_JVM_DIR exists so that tests can point the search at a fake folder.

siphon_java_major() {
    # Prints the major version of the java binary $1 (17, 21, 25, ...), or nothing. The JDK's
    # release file answers without starting a JVM; the JVM itself is asked only when there is none.
    local release major=""
    release="$(dirname "$(dirname "$1")")/release"
    [ -f "$release" ] && major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -z "$major" ]; then
        major=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
    fi
    echo "$major"
}

siphon_find_java() {
    local candidates=() home major jvm_dir="${SIPHON_JVM_DIR:-/usr/lib/jvm}" what="JDK"
    [ "${1:-}" = runtime ] && what="Java runtime (or JDK)"
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    for home in $(ls -d "$jvm_dir"/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for home in "${candidates[@]}"; do
        [ -x "$home/bin/java" ] || continue
        [ "${1:-}" = runtime ] || [ -x "$home/bin/javac" ] || continue
        major=$(siphon_java_major "$home/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            export JAVA_HOME="$home"
            # Callers that need the version read it here instead of starting a JVM again.
            export SIPHON_JAVA_MAJOR="$major"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    echo "Siphon needs a $what 21 or newer and found none." >&2
    echo "Looked at: \$JAVA_HOME${JAVA_HOME:+ ($JAVA_HOME)}, $jvm_dir/*, and the java on PATH." >&2
    echo "Install one (for example the Debian package openjdk-21-jdk, or a Temurin 21/25 JDK)" >&2
    echo "and either put it under $jvm_dir or set JAVA_HOME to its folder." >&2
    return 1
}
