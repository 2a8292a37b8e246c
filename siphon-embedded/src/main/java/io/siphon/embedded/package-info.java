/**
 * Embedded servers that {@code siphon demo}, {@code siphon bench} and the tests start, and their
 * temporary folders. Free of any test framework, so it ships in the runtime jar; the JUnit side
 * lives in the test kit.
 */
package io.siphon.embedded;
