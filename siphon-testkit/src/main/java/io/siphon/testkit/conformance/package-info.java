/**
 * The connector conformance kit: {@link io.siphon.testkit.conformance.SourceConformanceSuite} and
 * {@link io.siphon.testkit.conformance.SinkConformanceSuite}, abstract JUnit suites that a
 * connector's {@code *ConformanceIT} extends, driven by {@link
 * io.siphon.testkit.conformance.ConnectorBehavior} flags. See docs/connector-development.md.
 */
package io.siphon.testkit.conformance;
