package io.aether.core.net;

import java.time.Duration;

/** Config validation shared by the server and client configs; every message names the field and the fix. */
final class Checks {
    private Checks() {}

    static Duration positive(Duration value, String field) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be a positive duration, got " + value);
        }
        return value;
    }

    static void backoff(Duration initial, Duration max) {
        positive(initial, "reconnectInitialBackoff");
        positive(max, "reconnectMaxBackoff");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("reconnectMaxBackoff " + max + " is below reconnectInitialBackoff "
                    + initial);
        }
    }

    static void frameBounds(int maxFrameBytes, int maxQueuedBytes, String queuedField) {
        if (maxFrameBytes < FrameCodec.MIN_LENGTH) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below the smallest frame ("
                    + FrameCodec.MIN_LENGTH + " bytes)");
        }
        long largestEncoded = (long) FrameCodec.LENGTH_PREFIX_BYTES + maxFrameBytes;
        if (maxQueuedBytes < largestEncoded) {
            throw new IllegalArgumentException(queuedField + " " + maxQueuedBytes
                    + " cannot hold one frame of maxFrameBytes " + maxFrameBytes + "; set it to at least "
                    + largestEncoded);
        }
    }
}
