/**
 * The transform SPI: operators that shape rows between a source and a sink (filter, compute, drop,
 * mask, route, ...). A transform ships a {@link io.siphon.spi.transform.TransformFactory}
 * registered for {@link java.util.ServiceLoader}; the engine finds it by its {@code type} and never
 * names a transform class.
 *
 * <p>Life cycle and threads:
 *
 * <ol>
 *   <li>The engine's <em>driver</em> thread validates a transform's options with {@link
 *       io.siphon.spi.Config#problems} against {@link
 *       io.siphon.spi.transform.TransformFactory#options()} and calls {@link
 *       io.siphon.spi.transform.TransformFactory#create} (also on every member that runs a part of
 *       the pipeline: a {@link io.siphon.spi.transform.Transform} is rebuilt from the serializable
 *       {@link io.siphon.spi.Config}, never shipped itself).
 *   <li>Per table, at pipeline start and again after each schema change of that table, the thread
 *       that owns the table's rows (a driver for {@code validate}, a reader or writer processor
 *       while running) calls {@link io.siphon.spi.transform.Transform#bind} with the table's
 *       current schema; expressions compile there, once per table, and every mistake fails there.
 *   <li>That same thread then passes every snapshot row and data change of the table through the
 *       {@link io.siphon.spi.transform.BoundTransform}, which it uses alone; a bound transform need
 *       not be thread-safe. A {@code Transform} is immutable and may be bound from many threads at
 *       once.
 * </ol>
 *
 * <p>{@link io.siphon.spi.transform.TransformChain} binds a list of transforms to one source table
 * in order and runs them; it is what the engine uses.
 */
package io.siphon.spi.transform;
