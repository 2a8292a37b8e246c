package io.siphon.engine.transform;

import io.siphon.engine.InstalledTypes;
import io.siphon.engine.spec.TransformSpec;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.TransformChain;
import io.siphon.spi.transform.TransformFactory;
import java.util.List;

/** The transform operators on the class path, found with {@code ServiceLoader} by their type. */
public final class TransformRegistry {

    private final InstalledTypes<TransformFactory> factories;

    private TransformRegistry(InstalledTypes<TransformFactory> factories) {
        this.factories = factories;
    }

    /** Every installed operator. */
    public static TransformRegistry installed() {
        return new TransformRegistry(
                InstalledTypes.load(
                        TransformFactory.class,
                        TransformFactory::type,
                        ErrorCode.TRANSFORM_INVALID,
                        "transform operator"));
    }

    /** The installed operator types, sorted. */
    public java.util.Set<String> types() {
        return factories.types();
    }

    /**
     * The factory of a type.
     *
     * @throws SiphonException {@link ErrorCode#TRANSFORM_INVALID} naming the installed types
     */
    public TransformFactory factory(String type) {
        return factories.factory(type);
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
                                        (s.name().startsWith("#") ? "transforms " : "node ")
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
