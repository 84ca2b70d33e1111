/**
 * Autoscaling trace replay: a {@link io.aether.bench.autoscale.ServiceModel} fed one second at a time from a
 * {@link io.aether.bench.autoscale.Trace}, driven by controllers through the production controller SPI
 * ({@code io.aether.core.control}). {@link io.aether.bench.autoscale.AutoscaleBench} is the entry point;
 * {@link io.aether.bench.autoscale.Replay} replays one controller over one trace, or Layer 1 with the AI layers above
 * it; {@link io.aether.bench.autoscale.PolicyServer} is the scripted model endpoint of that evaluation.
 */
package io.aether.bench.autoscale;
