/**
 * Test support shared by every module and by {@code siphon demo}: embedded servers, datasets and
 * exact table comparison.
 */
package io.siphon.testkit;
