package io.siphon.engine;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.SiphonException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The factories of one kind on the class path (connectors, transform operators), found with {@link
 * ServiceLoader} and looked up by their type name; an unknown name is refused with the nearest
 * installed one.
 *
 * @param <F> the factory interface
 */
public final class InstalledTypes<F> {

    private final Map<String, F> factories;
    private final ErrorCode unknown;
    private final String kind;

    private InstalledTypes(Map<String, F> factories, ErrorCode unknown, String kind) {
        this.factories = Map.copyOf(factories);
        this.unknown = unknown;
        this.kind = kind;
    }

    /**
     * Loads every installed factory of a kind.
     *
     * @param unknown the error code for a type that is not installed
     * @param kind what the factories make, for that error: {@code "connector of type"}
     */
    public static <F> InstalledTypes<F> load(
            Class<F> factory, Function<F, String> typeOf, ErrorCode unknown, String kind) {
        Map<String, F> found = new TreeMap<>();
        for (F f : ServiceLoader.load(factory)) {
            found.put(typeOf.apply(f), f);
        }
        return new InstalledTypes<>(found, unknown, kind);
    }

    /** The installed type names, sorted. */
    public Set<String> types() {
        return new TreeSet<>(factories.keySet());
    }

    /**
     * The factory of a type.
     *
     * @throws SiphonException with the code given to {@link #load}, naming the installed types
     */
    public F factory(String type) {
        F f = factories.get(type);
        if (f == null) {
            String hint =
                    NameSuggester.nearest(type, factories.keySet())
                            .map(n -> "did you mean '" + n + "'? ")
                            .orElse("");
            throw new SiphonException(
                    unknown,
                    "no "
                            + kind
                            + " '"
                            + type
                            + "' is installed; "
                            + hint
                            + "installed: "
                            + (factories.isEmpty() ? "none" : String.join(", ", types())));
        }
        return f;
    }
}
