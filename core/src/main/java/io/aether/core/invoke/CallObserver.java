package io.aether.core.invoke;

import io.aether.core.slice.Artifact;

/**
 * Hears every call that runs on a local instance, whether the local {@link Invoker} or the {@link CallServer} (for
 * a remote caller) started it; calls refused before running are not observed. Both methods run on the calling
 * thread (often a Vert.x event loop): implementations must be thread-safe, must not block and should not allocate.
 * The observer is given to {@link LocalInstances#LocalInstances(CallObserver)}.
 */
public interface CallObserver {

    /** Observes nothing. */
    CallObserver NONE = new CallObserver() {
        private final Probe none = (durationNanos, failed) -> { };

        @Override
        public Probe started(Artifact artifact, String entry) {
            return none;
        }
    };

    /** A call of {@code entry} on an instance of {@code artifact} starts now; the probe hears its end, once. */
    Probe started(Artifact artifact, String entry);

    /** The end of one observed call. */
    @FunctionalInterface
    interface Probe {
        /** The instance answered ({@code failed} false) or failed, {@code durationNanos} after it was started. */
        void completed(long durationNanos, boolean failed);
    }
}
