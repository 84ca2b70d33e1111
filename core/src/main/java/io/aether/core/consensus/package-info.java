/** The Rabia consensus engine: a pure state machine ({@code step(input) -> output}) with no I/O, threads or clock. Knows nothing above it. */
package io.aether.core.consensus;
