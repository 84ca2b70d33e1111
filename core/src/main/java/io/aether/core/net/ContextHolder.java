package io.aether.core.net;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;

/**
 * An empty verticle deployed only to obtain a fresh event-loop context: each Transport or TransportClient then
 * runs all its I/O and timers on one event loop of its own, without locks, even when several are started from
 * the same (non-Vert.x) thread.
 */
final class ContextHolder extends AbstractVerticle {
    Context context() {
        return context;
    }
}
