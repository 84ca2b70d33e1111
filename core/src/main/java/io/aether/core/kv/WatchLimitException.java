package io.aether.core.kv;

/** A watch was refused because {@link KvLimits#maxWatches()} watches are already active. */
public final class WatchLimitException extends RuntimeException {

    public WatchLimitException(String message) {
        super(message);
    }
}
