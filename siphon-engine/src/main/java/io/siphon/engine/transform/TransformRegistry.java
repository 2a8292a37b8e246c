package io.siphon.engine.transform;

import io.siphon.engine.spec.TransformSpec;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.TransformChain;
import io.siphon.spi.transform.TransformFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The transform operators on the class path, found with {@link ServiceLoader} by their type. */
public final class TransformRegistry {

    private final Map<String, TransformFactory> factories;

    private TransformRegistry(Map<String, TransformFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** Every installed operator. */
    public static TransformRegistry installed() {
        Map<String, TransformFactory> found = new TreeMap<>();
        for (TransformFactory f : ServiceLoader.load(TransformFactory.class)) {
            found.put(f.type(), f);
        }
        return new TransformRegistry(found);
    }

    /** The installed operator types, sorted. */
    public java.util.Set<String> types() {
        return new java.util.TreeSet<>(factories.keySet());
    }

    /**
     * The factory of a type.
     *
     * @throws SiphonException {@link ErrorCode#TRANSFORM_INVALID} naming the installed types
     */
    public TransformFactory factory(String type) {
        TransformFactory f = factories.get(type);
        if (f == null) {
            String hint =
                    NameSuggester.nearest(type, factories.keySet())
                            .map(n -> "did you mean '" + n + "'? ")
                            .orElse("");
            throw new SiphonException(
                    ErrorCode.TRANSFORM_INVALID,
                    "no transform operator '"
                            + type
                            + "' is installed; "
                            + hint
                            + "installed: "
                            + (factories.isEmpty() ? "none" : String.join(", ", types())));
        }
        return f;
    }

    /**
     * The steps of a pipeline's transforms, each operator created from its configuration.
     *
     * @throws SiphonException what {@link TransformFactory#create} found, naming the step
     */
    public List<TransformChain.Step> steps(List<TransformSpec> specs) {
        return specs.stream()
                .map(
                        s -> {
                            try {
                                return new TransformChain.Step(
                                        s.name(), s.type(), factory(s.type()).create(s.config()));
                            } catch (SiphonException e) {
                                throw new SiphonException(
                                        e.code(),
                                        "transforms "
                                                + s.name()
                                                + " ("
                                                + s.type()
                                                + "): "
                                                + e.getMessage(),
                                        e);
                            }
                        })
                .toList();
    }
}
