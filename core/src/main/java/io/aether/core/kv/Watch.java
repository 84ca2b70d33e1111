package io.aether.core.kv;

/** A registered watch. */
public interface Watch {

    /** Stops deliveries; safe to call at any time, also from the listener, and more than once. */
    void cancel();

    boolean isCancelled();

    String prefix();
}
