package io.aether.core.invoke;

/** A call frame that does not decode: says which field is wrong and why. The connection that sent it is closed. */
final class CallCodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CallCodecException(String message) {
        super(message);
    }
}
