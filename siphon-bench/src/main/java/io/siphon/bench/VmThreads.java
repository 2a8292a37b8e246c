package io.siphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of the JVM's own threads, which {@code ThreadMXBean} does not list (JIT compilers,
 * garbage collector), read per thread from {@code /proc/self/task} on Linux and grouped by kind.
 * Elsewhere there is nothing to read and the groups are empty.
 */
final class VmThreads {

    /** Linux counts thread CPU time in clock ticks of 1/100 s (USER_HZ) on every platform. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final Path TASKS = Path.of("/proc/self/task");

    private VmThreads() {}

    /** CPU nanoseconds per thread id ({@code "<kind>#<tid>"}), for the JIT and GC threads. */
    static Map<String, Long> cpuNanos() {
        Map<String, Long> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String kind = kind(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                if (kind != null) {
                    List<String> fields =
                            List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
                    long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
                    out.put(kind + "#" + task.getFileName(), ticks * NANOS_PER_TICK);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new HashMap<>();
        }
        return out;
    }

    /** The time each kind used between two readings of {@link #cpuNanos}. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach(
                (thread, nanos) ->
                        out.merge(
                                thread.substring(0, thread.indexOf('#')),
                                nanos - before.getOrDefault(thread, 0L),
                                Long::sum));
        return out;
    }

    /** The kind of a JVM thread by its (15-character) name, or null for any other thread. */
    static String kind(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT compilers";
        }
        if (name.startsWith("G1 ")
                || name.startsWith("GC Thread")
                || name.startsWith("VM Thread")
                || name.startsWith("VM Periodic")) {
            return "GC and safepoints (VM thread)";
        }
        return null;
    }
}
