/**
 * Exact comparison of two tables: a hash over normalised rows in key order, and the first keys that
 * differ. The demo and the benchmarks verify every copy with it; the tests assert with it.
 */
package io.siphon.verify;
