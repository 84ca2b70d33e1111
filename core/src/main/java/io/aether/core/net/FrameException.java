package io.aether.core.net;

/** A byte stream that is not a valid sequence of frames; the connection carrying it must be closed. */
final class FrameException extends Exception {
    FrameException(String message) {
        super(message);
    }
}
