/** The closed-loop load generator every KV benchmark shares, and the comparison of two systems' results. */
package io.aether.bench.load;
