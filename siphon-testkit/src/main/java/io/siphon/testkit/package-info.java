/**
 * Test support shared by every module: a JUnit extension around the embedded servers of {@code
 * siphon-embedded}, the type-matrix dataset and, with {@code siphon-verify}, exact table
 * comparison. Test scope only.
 */
package io.siphon.testkit;
