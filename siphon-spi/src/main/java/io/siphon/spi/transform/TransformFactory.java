package io.siphon.spi.transform;

import io.siphon.spi.Config;
import io.siphon.spi.Option;
import java.util.List;

/**
 * Entry point of a transform operator, found with {@link java.util.ServiceLoader} (list the class
 * in {@code META-INF/services/io.siphon.spi.transform.TransformFactory}). Must have a public
 * no-argument constructor and be stateless; its methods may be called from any thread.
 */
public interface TransformFactory {

    /** The name that selects this operator in a pipeline spec, for example {@code filter}. */
    String type();

    /** One line on what the operator does, for the docs and {@code siphon validate}. */
    String description();

    /**
     * Every option the operator accepts, usually including {@link TransformOptions#TABLES}; used to
     * validate specs (every problem at once, with the nearest valid key, by {@link
     * Config#problems}) and to write the docs.
     */
    List<Option<?>> options();

    /**
     * Creates the operator for a configuration already validated against {@link #options()}. Checks
     * what the options cannot say alone (two options that exclude each other, a regular expression
     * that does not compile) without knowing any table yet: what depends on a table's columns is
     * checked by {@link Transform#bind}.
     *
     * @throws io.siphon.spi.SiphonException {@link io.siphon.spi.ErrorCode#TRANSFORM_INVALID} or a
     *     {@code CONFIG_*} code, naming the option
     */
    Transform create(Config config);
}
