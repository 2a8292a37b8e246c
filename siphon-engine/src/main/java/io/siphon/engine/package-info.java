/**
 * The engine: turns a {@link io.siphon.engine.spec.PipelineSpec} into a plan and the plan into a
 * Hazelcast Jet job, runs it on an embedded member, and keeps its progress in a durable {@link
 * io.siphon.engine.state.StateStore}. {@link io.siphon.engine.SiphonEngine} is the entry point.
 */
package io.siphon.engine;
