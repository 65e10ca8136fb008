/**
 * The benchmark harness ({@link org.taylorism.benchmarks.BenchmarkMain}): every figure measured side by side with
 * its peer (xargs, GNU parallel, a C floor, bare JVM starts) in one run, as the README's Benchmarks table says.
 */
package org.taylorism.benchmarks;
