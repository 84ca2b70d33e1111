/** Benchmarks and load harnesses, each printing ratios against a named peer measured in the same run. */
package io.aether.bench;
