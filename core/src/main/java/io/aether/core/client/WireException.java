package io.aether.core.client;

/** A client-protocol frame that cannot be decoded; the message names the frame kind and the offset. */
public final class WireException extends RuntimeException {

    public WireException(String message) {
        super(message);
    }
}
